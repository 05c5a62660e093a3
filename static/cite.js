/* Citations of a moment in a recorded session: APA 7, Chicago author-date and BibTeX.
 *
 * citeMoment is pure: give it the moment, get back three strings.
 */
(function (global) {
  "use strict";

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  /** `H:MM:SS` or `M:SS`, whole seconds, as the pages print times. */
  function clock(seconds) {
    const whole = Math.floor(seconds);
    const hours = Math.floor(whole / 3600);
    const minutes = Math.floor((whole % 3600) / 60);
    const secs = String(whole % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
  }

  /** A person's name has every word capitalised; a label such as "Festival host" does not. */
  function isPersonal(name) {
    const words = name.split(/\s+/);
    return words.length > 1 && words.every((word) => /^\p{Lu}/u.test(word));
  }

  function nameParts(name) {
    const words = name.split(/\s+/);
    return { family: words[words.length - 1], given: words.slice(0, -1) };
  }

  function familyName(name) {
    return isPersonal(name) ? nameParts(name).family : name;
  }

  function apaName(name) {
    if (!isPersonal(name)) return name;
    const { family, given } = nameParts(name);
    return `${family}, ${given.map((word) => `${word[0]}.`).join(" ")}`;
  }

  function invertedName(name) {
    if (!isPersonal(name)) return name;
    const { family, given } = nameParts(name);
    return `${family}, ${given.join(" ")}`;
  }

  /** "A", "A and B", "A, B and C" with the given conjunction. */
  function listNames(names, conjunction, serialComma) {
    if (names.length < 2) return names.join("");
    const head = names.slice(0, -1).join(", ");
    const comma = serialComma ? "," : "";
    return `${head}${comma} ${conjunction} ${names[names.length - 1]}`;
  }

  function dateParts(iso) {
    const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
    return { year, month: MONTHS[month - 1], day, monthIndex: month };
  }

  function capitalise(text) {
    return text ? text[0].toUpperCase() + text.slice(1) : "";
  }

  function bibtexEscape(text) {
    return text.replace(/([&%$#_{}])/g, "\\$1");
  }

  function bibtexKey(moment, year) {
    const family = familyName(moment.speakers[0] || moment.festival);
    const word = moment.title.split(/\s+/).find((w) => w.length > 3) || moment.title;
    return `${family}${year}${word}`.toLowerCase().replace(/[^a-z0-9]/g, "");
  }

  /**
   * Citations of a moment: {apa, chicago, bibtex}.
   * moment: {speakers: [names], title, festival, format, date (ISO), start, end (seconds),
   *          quote, url}.
   */
  function citeMoment(moment) {
    const { year, month, day, monthIndex } = dateParts(moment.date);
    const speakers = moment.speakers.length ? moment.speakers : [moment.festival];
    const span = `${clock(moment.start)}–${clock(moment.end)}`;
    const format = capitalise(moment.format || "recording");
    const quote = `“${moment.quote}”`;

    const apaAuthors = listNames(speakers.map(apaName), "&", speakers.length > 2);
    const apaInText = listNames(speakers.map(familyName), "&", speakers.length > 2);
    const apa =
      `${quote} (${apaInText}, ${year}, ${clock(moment.start)})\n` +
      `${apaAuthors}${apaAuthors.endsWith(".") ? "" : "."} (${year}, ${month} ${day}). ` +
      `${moment.title} [${format}]. ${moment.festival}. ${moment.url}`;

    const chicagoAuthors = listNames(
      speakers.map((name, index) => (index === 0 ? invertedName(name) : name)), "and", true);
    const chicagoInText = listNames(speakers.map(familyName), "and", speakers.length > 2);
    const chicago =
      `${quote} (${chicagoInText} ${year}, ${clock(moment.start)})\n` +
      `${chicagoAuthors}. ${year}. “${moment.title}.” ${format}, ${moment.festival}, ` +
      `${month} ${day}, ${year}. Recording, ${span}. ${moment.url}.`;

    const bibAuthors = speakers
      .map((name) => (isPersonal(name) ? bibtexEscape(invertedName(name)) : `{${bibtexEscape(name)}}`))
      .join(" and ");
    const bibtex = [
      `@misc{${bibtexKey(moment, year)},`,
      `  author = {${bibAuthors}},`,
      `  title = {${bibtexEscape(moment.title)}},`,
      `  howpublished = {${bibtexEscape(`${format}, ${moment.festival}`)}},`,
      `  year = {${year}},`,
      `  month = {${monthIndex}},`,
      `  note = {At ${span.replace("–", "--")}: ${bibtexEscape(`“${moment.quote}”`)}},`,
      `  url = {${moment.url}}`,
      "}",
    ].join("\n");

    return { apa, chicago, bibtex };
  }

  global.FestivalCite = { clock, citeMoment };
})(window);
