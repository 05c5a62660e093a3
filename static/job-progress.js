// Follow a machine-transcript job on the organiser's transcript page: update its percentage
// every two seconds, and reload the page once the job has ended so its outcome shows.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var bar = box.querySelector("progress");
  var label = box.querySelector(".job-progress");
  var status = box.querySelector(".job-status");
  var labels = { queued: "waiting for the worker", running: "running" };

  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) return;
        if (job.status !== "queued" && job.status !== "running") {
          window.location.reload();
          return;
        }
        if (bar) bar.value = job.progress;
        if (label) label.textContent = job.progress + " %";
        if (status) status.textContent = labels[job.status];
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
