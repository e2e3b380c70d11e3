"""The command line: the only place that prints and picks the exit code."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from .build import Config, build, check, render_site
from .cache import BuildCache
from .errors import ContentError, Problem, did_you_mean
from .markup import EDITIONS
from .pdf import MissingWeasyPrint
from .write import SiteHeld

USAGE = """\
python build.py [build] [options]         build content/ into site/
python build.py --pdf                     build, with PDFs of the worksheets
python build.py --edition coach           build the coach's edition (notes) into site-coach/
python build.py check [options]           check the content, write nothing
python build.py serve [--port N] [--open] build, serve and rebuild on every change
python build.py new guide "Title"         start a new guide
python build.py new worksheet GUIDE "Title" [--step N]
"""


def add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"),
                        help="the content folder (default: content)")
    parser.add_argument("--templates", type=Path, default=Path("templates"),
                        help="the templates folder (default: templates)")
    parser.add_argument("--output", "-o", type=Path, default=None,
                        help="the output folder (default: site, or site-coach for the "
                             "coach's edition)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--edition", choices=EDITIONS, default="reader",
                        help="reader (the default): the site for readers, without the "
                             "coach's notes; coach: with them, into site-coach/")
    parser.add_argument("--force", action="store_true",
                        help="build into an output folder that holds files Guidebook did not "
                             "write (they are kept, except any with a page's name)")


def port_number(text: str) -> int:
    """Return a TCP port number given on the command line: 1 to 65535 (RFC 6335), or 0 for
    any free port (the system picks one; serve prints its address). Raise
    argparse.ArgumentTypeError for anything else, which argparse reports with the usage."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port: give a number from 1 to "
                                         "65535, like 8000 (or 0 for any free port)")
    return number


def wrong_folder(args: argparse.Namespace) -> Problem | None:
    """Return the problem of a build, check or serve run from another folder than the
    project's: neither content/ nor templates/ is here and neither was given (a coach who
    ran `../build.py` from inside content/ would otherwise get two messages, both beside
    the point). None when the run is where it should be."""
    if args.content != Path("content") or args.templates != Path("templates") or (
            args.content.exists() or args.templates.exists()):
        return None
    project = Path(__file__).resolve().parent.parent
    here = Path.cwd()
    where = (f"cd {project} and run it again, or " if (project / "build.py").is_file()
             and project != here else "")
    return Problem(str(here), 0, 0, "there is no content/ or templates/ folder here: "
                   "python build.py runs from the project folder, the one that holds "
                   "build.py, content/ and templates/",
                   f"{where}pass --content and --templates with the right folders")


class Parser(argparse.ArgumentParser):
    """argparse, with "did you mean" for a misspelt option (as git and pip say it)."""

    def error(self, message: str) -> NoReturn:
        words = message.split(": ", 1)[1].split() if "unrecognized arguments" in message else []
        known = [option for action in self._actions for option in action.option_strings]
        for subparsers in self._subparsers._group_actions if self._subparsers else []:
            for command in getattr(subparsers, "choices", {}).values():
                known += [o for action in command._actions for o in action.option_strings]
        hints = [did_you_mean(word.split("=", 1)[0], sorted(set(known)))
                 for word in words if word.startswith("-")]
        if any(hints):
            message += "." + "".join(hints)
        super().error(message)


EPILOG = """Without a command, the options are the build's: --content, --templates, --output, --pdf,
--edition, --strict, --force. `python build.py COMMAND --help` lists a command's options.
"""


def parser() -> argparse.ArgumentParser:
    main = Parser(prog="build.py", usage=USAGE, description="Build a Guidebook site.",
                  epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    # prog given, so the commands' usage lines do not repeat the whole USAGE text.
    commands = main.add_subparsers(dest="command", prog="python build.py",
                                   parser_class=Parser)
    for name, text in (("build", "build the site (the default)"),
                       ("check", "check the content without writing anything")):
        add_paths(commands.add_parser(name, help=text))
    commands.choices["build"].add_argument(
        "--pdf", action="store_true",
        help="also write PDFs of the worksheets and packets (needs the pdf extra)")
    serve = commands.add_parser("serve", help="serve the site and rebuild on changes")
    add_paths(serve)
    serve.add_argument("--port", type=port_number, default=8000,
                       help="port, from 1 to 65535, or 0 for any free one (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    new = commands.add_parser("new", help="create a guide or a worksheet from a skeleton")
    new.add_argument("--content", type=Path, default=Path("content"))
    kinds = new.add_subparsers(dest="kind", required=True, parser_class=Parser)
    guide = kinds.add_parser("guide", help="a new guide folder")
    guide.add_argument("title")
    guide.add_argument("--slug", help="the folder name (default: made from the title)")
    worksheet = kinds.add_parser("worksheet", help="a new worksheet in a guide")
    worksheet.add_argument("guide")
    worksheet.add_argument("title")
    worksheet.add_argument("--step", type=int, default=None)
    worksheet.add_argument("--slug", help="the file name (default: made from the title)")
    for kind in (guide, worksheet):  # --content after the kind works too
        kind.add_argument("--content", type=Path, default=argparse.SUPPRESS,
                          help="the content folder (default: content)")
    return main


def report(problems: list[Problem], out=None) -> None:
    """Print problems, then a count of them when there are errors, as a coach reads them.

    A run without errors says so on its own last line (see `outcome`).
    """
    out = out or sys.stderr  # looked up now, so a redirected stderr is honoured
    for problem in problems:
        print(problem.format(), file=out)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings and errors:
        parts.append(plural(warnings, "warning"))
    if parts:
        print(" and ".join(parts) + ".", file=out)


def plural(count: int, word: str) -> str:
    """Return "1 warning", "2 warnings"."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def outcome(problems: list[Problem]) -> str:
    """Return how a run without errors ended: "no errors" or "no errors, 2 warnings"."""
    warnings = sum(1 for p in problems if not p.is_error)
    return "no errors" + (f", {plural(warnings, 'warning')}" if warnings else "")


class ProgressLine:
    """One line on a terminal saying how far a long build is; nothing when not a terminal."""

    DELAY = 1.0  # a build that finishes within a second shows no progress at all

    def __init__(self, out) -> None:  # noqa: ANN001 - a text stream
        self.out = out
        self.enabled = bool(getattr(out, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < self.DELAY:
            return
        percent = 100 * done // max(1, total)
        self.out.write(f"\r{what}: {done}/{total} ({percent}%)\x1b[K")
        self.out.flush()
        self.shown = True

    def finish(self) -> None:
        """Clear the line, so the summary that follows starts on a clean one."""
        if self.shown:
            self.out.write("\r\x1b[K")
            self.out.flush()


def output_of(args: argparse.Namespace) -> Path:
    """Return the output folder: --output, or site/ (site-coach/ for the coach's edition)."""
    if getattr(args, "output", None):
        return args.output
    return Path("site-coach" if getattr(args, "edition", "reader") == "coach" else "site")


def config_from(args: argparse.Namespace) -> Config:
    output = output_of(args)
    return Config(args.content, args.templates, output, args.strict,
                  pdf=getattr(args, "pdf", False), force=args.force, edition=args.edition)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    lost = wrong_folder(args) if args.command in ("build", "check", "serve") else None
    if lost is not None:
        report([lost])
        return 1
    try:
        if args.command == "check":
            config = config_from(args)
            site, loader, problems = check(config)
            # Render every page in memory too, so template mistakes are found; write nothing.
            render_site(config, site, loader, BuildCache(config.output, enabled=False))
            report(problems.items)
            print(f"Checked {config.content}: {outcome(problems.items)}.")
            return 0
        if args.command == "serve":
            from .serve import serve  # lazy: the server's imports cost start-up time

            config = config_from(args)
            return serve(config, BuildCache(config.output, enabled=config.cache, serve=True),
                         host=args.host, port=args.port, open_browser=args.open)
        if args.command == "new":
            from .scaffold import new

            return new(args)
        config = config_from(args)
        progress = ProgressLine(sys.stderr)
        try:
            result = build(config, progress if progress.enabled else None,
                           BuildCache(config.output, enabled=config.cache))
        finally:
            progress.finish()
        report(result.warnings)
        print(f"Built {result.pages} pages ({result.files} files, {result.written} changed) "
              f"into {os.path.join(config.output, '')} in {result.seconds:.2f} s"
              + (f": {outcome(result.warnings)}." if result.warnings else "."))
        return 0
    except ContentError as exc:
        report(exc.problems)
        if args.command != "check":  # check never writes, so there is nothing to reassure
            # The folder as the system writes it: site/ (site\ on Windows).
            folder = os.path.join(output_of(args), "")
            if isinstance(exc, SiteHeld) and not exc.whole:
                print(f"{folder} is missing until the next build puts the site back.",
                      file=sys.stderr)
            else:
                print(f"Nothing was written; {folder} is as it was.", file=sys.stderr)
        return 1
    except MissingWeasyPrint as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
