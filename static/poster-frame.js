/* "Poster from the recording" on the session form: the time field follows the video, so the
 * button takes the frame on screen. A time typed in the field is kept until the video moves;
 * without script the organiser types the time.
 */
(function () {
  "use strict";

  const video = document.getElementById("poster-video");
  const field = document.getElementById("poster-at");
  if (!video || !field) return;
  let followsVideo = false;

  function follow() {
    field.value = String(Math.round(video.currentTime * 1000) / 1000);
    followsVideo = true;
  }

  function start() {
    if (!field.value) follow(); // the first frame, until the organiser moves the video
  }

  if (video.readyState >= 1) start();
  else video.addEventListener("loadedmetadata", start);
  video.addEventListener("timeupdate", follow); // while playing, and after every seek
  field.addEventListener("input", () => {
    followsVideo = false;
  });
  field.form.addEventListener("submit", () => {
    if (followsVideo) follow(); // timeupdate lags a playing video by up to a quarter second
  });
})();
