/* The corrections page: play any cue against the recording, stopping where the cue ends.
 *
 * The times played are the ones in the cue's Start and End fields, so an organiser can
 * try a new timing before saving it.
 */
(function () {
  "use strict";

  const media = document.getElementById("media");

  window.FestivalPlayer.connect(media).then((player) => {
    let stopAt = null;
    player.onTimeUpdate((seconds) => {
      if (stopAt !== null && seconds >= stopAt) {
        stopAt = null;
        player.pause();
      }
    });
    document.querySelectorAll(".play-cue").forEach((button) => {
      const form = button.closest("form");
      button.hidden = false;
      button.addEventListener("click", () => {
        const start = seconds(form.elements.start.value, Number(button.dataset.start));
        const end = seconds(form.elements.end.value, Number(button.dataset.end));
        stopAt = end > start ? end : null;
        player.seek(start);
        player.play();
      });
    });
    document.body.dataset.player = "ready";
  });

  /** Seconds from `95.5`, `1:35.5` or `00:01:35.500`; `fallback` when the field is unreadable. */
  function seconds(text, fallback) {
    const parts = text.trim().split(":").map((part) => (part.trim() ? Number(part) : NaN));
    if (parts.some((part) => !Number.isFinite(part))) return fallback;
    return parts.reduce((total, part) => total * 60 + part, 0);
  }
})();
