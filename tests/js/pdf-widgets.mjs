// Print, as JSON, the form widgets pdf.js (the PDF viewer of Firefox and many phones) finds in
// each PDF named on the command line: {file: [{page, name, type, checkBox, radioButton,
// multiLine, rect}]}. Run with the pdfjs-dist package on NODE_PATH's parent (tests/tools.py).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(process.env.TOOLS_NODE_MODULES + "/");
const pdfjs = await import(pathToFileURL(require.resolve("pdfjs-dist/legacy/build/pdf.mjs")));
const result = {};
for (const file of process.argv.slice(2)) {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  const widgets = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    for (const a of await page.getAnnotations()) {
      if (a.subtype !== "Widget") continue;
      widgets.push({ page: number, name: a.fieldName, type: a.fieldType, checkBox: !!a.checkBox,
                     radioButton: !!a.radioButton, multiLine: !!a.multiLine, rect: a.rect });
    }
  }
  result[file] = widgets;
}
process.stdout.write(JSON.stringify(result));
