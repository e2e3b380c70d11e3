// Served by `python build.py serve` only, never written into site/. A livereload.js plugin (it
// picks up window.LiveReloadPlugin*, so this script comes first) that names the build this
// page was served from in the message the page sends once it listens for reloads: a rebuild
// that finished while the page was loading, before it listened, then reloads it (serve.py).
(function () {
  var build = document.currentScript.getAttribute('data-build');
  function Plugin() {}
  Plugin.identifier = 'guidebook';
  Plugin.version = '1';
  Plugin.prototype.analyze = function () { return {build: build}; };
  window.LiveReloadPluginGuidebook = Plugin;
}());
