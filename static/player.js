/* One player interface over HTML5 media, the YouTube IFrame API and the Vimeo player.
 *
 * Every adapter offers: seek(seconds), currentTime(), play(), pause(), paused(),
 * setRate(rate) (playback speed, 1 = normal) and onTimeUpdate(callback(seconds)). The YouTube and Vimeo adapters take the player object,
 * so tests can hand them a stand-in when the real scripts cannot load.
 */
(function (global) {
  "use strict";

  const YOUTUBE_API = "https://www.youtube.com/iframe_api";
  const VIMEO_API = "https://player.vimeo.com/api/player.js";
  const YOUTUBE_PLAYING = 1;

  /** Listeners for time updates, for players that do not keep a DOM event of their own. */
  function timeListeners() {
    const callbacks = [];
    return {
      add(callback) { callbacks.push(callback); },
      emit(seconds) { callbacks.forEach((callback) => callback(seconds)); },
    };
  }

  /** Adapter over an `<audio>` or `<video>` element. */
  function html5Adapter(media) {
    return {
      seek(seconds) { media.currentTime = seconds; },
      currentTime() { return media.currentTime; },
      play() { return media.play(); },
      pause() { media.pause(); },
      paused() { return media.paused; },
      setRate(rate) { media.playbackRate = rate; },
      onTimeUpdate(callback) {
        media.addEventListener("timeupdate", () => callback(media.currentTime));
      },
    };
  }

  /** Adapter over a `YT.Player`; the IFrame API has no time event, so it is polled. */
  function youtubeAdapter(player, pollMs = 250) {
    const listeners = timeListeners();
    let last = null;
    setInterval(() => {
      const seconds = player.getCurrentTime();
      if (seconds !== last) {
        last = seconds;
        listeners.emit(seconds);
      }
    }, pollMs);
    return {
      seek(seconds) { player.seekTo(seconds, true); },
      currentTime() { return player.getCurrentTime(); },
      play() { player.playVideo(); },
      pause() { player.pauseVideo(); },
      paused() { return player.getPlayerState() !== YOUTUBE_PLAYING; },
      setRate(rate) { player.setPlaybackRate(rate); },
      onTimeUpdate: listeners.add,
    };
  }

  /** Adapter over a `Vimeo.Player`, whose getters are asynchronous: it keeps the last time. */
  function vimeoAdapter(player) {
    const listeners = timeListeners();
    let seconds = 0;
    let playing = false;
    const moved = (data) => {
      seconds = data.seconds;
      listeners.emit(seconds);
    };
    player.on("timeupdate", moved);
    player.on("seeked", moved);
    player.on("play", () => { playing = true; });
    player.on("pause", () => { playing = false; });
    player.on("ended", () => { playing = false; });
    return {
      seek(to) {
        seconds = to;
        return player.setCurrentTime(to);
      },
      currentTime() { return seconds; },
      play() { return player.play(); },
      pause() { return player.pause(); },
      paused() { return !playing; },
      setRate(rate) { return player.setPlaybackRate(rate); },
      onTimeUpdate: listeners.add,
    };
  }

  /** The adapter, stopping once at `end` (a `?t=START,END` clip); a later seek ends the clip. */
  function withClip(adapter, end) {
    let stopAt = end;
    let timer = null;
    // Time updates come every quarter second or so; close to the end, look more often.
    const check = () => {
      timer = null;
      if (stopAt === null) return;
      const seconds = adapter.currentTime();
      if (seconds >= stopAt) {
        stopAt = null;
        adapter.pause();
      } else if (stopAt - seconds < 1 && !adapter.paused()) {
        timer = setTimeout(check, 40);
      }
    };
    adapter.onTimeUpdate(() => {
      if (!timer) check();
    });
    return Object.assign({}, adapter, {
      seek(seconds) {
        stopAt = null;
        return adapter.seek(seconds);
      },
    });
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(script);
    });
  }

  function connectYouTube(iframe) {
    return new Promise((resolve, reject) => {
      const ready = () => {
        const player = new global.YT.Player(iframe, {
          events: { onReady: () => resolve(youtubeAdapter(player)) },
        });
      };
      if (global.YT && global.YT.Player) {
        ready();
        return;
      }
      global.onYouTubeIframeAPIReady = ready;
      loadScript(YOUTUBE_API).catch(reject);
    });
  }

  function connectVimeo(iframe) {
    return loadScript(VIMEO_API).then(() => {
      const player = new global.Vimeo.Player(iframe);
      return player.ready().then(() => vimeoAdapter(player));
    });
  }

  /** A video element holding only sound needs no picture area: mark it `audio-only`. */
  function fitSoundOnly(video) {
    const fit = () => video.classList.toggle("audio-only", video.videoWidth === 0);
    if (video.readyState >= 1) fit();
    else video.addEventListener("loadedmetadata", fit);
  }

  /** A promise of the adapter for the page's `#media` element, by its `data-kind`. */
  function connect(element) {
    const end = element.dataset.clipEnd ? Number(element.dataset.clipEnd) : null;
    const kind = element.dataset.kind;
    let adapter;
    if (kind === "youtube") adapter = connectYouTube(element);
    else if (kind === "vimeo") adapter = connectVimeo(element);
    else adapter = Promise.resolve(html5Adapter(element));
    if (element.tagName === "VIDEO") fitSoundOnly(element);
    return adapter.then((connected) => withClip(connected, end));
  }

  global.FestivalPlayer = { html5Adapter, youtubeAdapter, vimeoAdapter, withClip, connect };
})(window);
