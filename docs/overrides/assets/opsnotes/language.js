// The language switcher, kept on the page being read. The header is rendered once per
// visit: instant navigation swaps only the content, so the links the build wrote point at
// the page the visit started on. Both languages share every page path, so the same page in
// the other language is that language's home plus this page's path below our own home,
// with its calculator state (?umask.umask=077) and #anchor.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
// Resolved against the first page, as the build wrote them for it.
const HOME = new URL(meta("opsnotes-home") || "./", location.href);
const links = [...document.querySelectorAll("a.md-select__link[data-opsnotes-home]")]
  .map((a) => ({ a, home: new URL(a.dataset.opsnotesHome, location.href) }));

// A 404 page is served at any path: its links go to each language's home, as built, until
// the reader moves on to a real page.
const NOT_FOUND = meta("opsnotes-notfound") ? location.pathname : null;

function relink() {
  if (location.pathname === NOT_FOUND) return;
  const path = location.pathname.startsWith(HOME.pathname)
    ? location.pathname.slice(HOME.pathname.length) : "";
  for (const { a, home } of links) a.href = new URL(path, home).href + location.search + location.hash;
}

// At a click too: the calculators rewrite the query and the reader scrolls to anchors
// without any navigation event.
for (const { a } of links) a.addEventListener("click", relink);
if (window.document$) window.document$.subscribe(relink);
else relink();
