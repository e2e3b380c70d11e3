/* Export the answers on this page to a file, or fill them in from one. Loaded by
   worksheet.js the first time a reader asks for either; it uses worksheet.js's helpers.
   A file names each worksheet "guidebook:<guide>/<worksheet>", without the site, so that a
   reader can carry answers to another copy of the guide. */
(() => {
  "use strict";
  const { nameOf, read, fill, filled, say, words } = window.guidebookWorksheet;
  const keyOf = (form) => "guidebook:" + nameOf(form);

  function exportAnswers(forms) {
    const data = { guidebook: "worksheet answers", version: 1, exported: new Date().toISOString(), worksheets: {} };
    for (const form of forms) data.worksheets[keyOf(form)] = { title: form.dataset.title, answers: read(form) };
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    const names = keyOf(forms[0]).split(/[:/]/);  // guidebook:<guide>/<worksheet>
    link.download = (forms.length > 1 ? names[1] + "-worksheets" : names[2]) + "-answers-" + data.exported.slice(0, 10) + ".json";
    document.body.appendChild(link).click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 5000);
    say("exported", link.download);
  }

  function importAnswers(forms, file) {
    const reader = new FileReader();
    reader.onload = () => {
      let sheets = {};
      try { sheets = Object(JSON.parse(reader.result).worksheets); } catch (e) { /* not JSON */ }
      const found = forms.filter((form) => Object(sheets[keyOf(form)]).answers);
      if (!found.length) { say("nofile"); return; }
      const apply = () => {
        for (const form of found) {
          fill(form, sheets[keyOf(form)].answers);
          window.guidebookAnswers.set(nameOf(form), read(form));
        }
        say("imported", file.name);
      };
      if (!found.some(filled)) apply();
      else words("replace", file.name).then((question) => confirm(question) && apply());
    };
    reader.readAsText(file);
  }

  window.guidebookTransfer = { exportAnswers, importAnswers };
})();
