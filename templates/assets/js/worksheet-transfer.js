/* Export the answers on this page to a file, or fill them in from one. Loaded by
   worksheet.js the first time a reader asks for either; it uses worksheet.js's helpers.
   A file names each worksheet "guidebook:<guide>/<worksheet>", without the site, so that a
   reader can carry answers to another copy of the guide. */
(() => {
  "use strict";
  const { nameOf, read, fill, filled, say } = window.guidebookWorksheet;
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
    say("Your answers were saved to the file " + link.download + ".");
  }

  function importAnswers(forms, file) {
    const reader = new FileReader();
    reader.onload = () => {
      let sheets = {};
      try { sheets = Object(JSON.parse(reader.result).worksheets); } catch (e) { /* not JSON */ }
      const found = forms.filter((form) => Object(sheets[keyOf(form)]).answers);
      if (!found.length) { say("That file has no answers for this page, so nothing changed."); return; }
      if (found.some(filled) && !confirm("Replace your answers on this page with the ones in " + file.name + "?")) return;
      for (const form of found) {
        fill(form, sheets[keyOf(form)].answers);
        window.guidebookAnswers.set(nameOf(form), read(form));
      }
      say("Your answers from " + file.name + " are filled in.");
    };
    reader.readAsText(file);
  }

  window.guidebookTransfer = { exportAnswers, importAnswers };
})();
