// Typesets the math of a page with KaTeX, which the site serves itself (assets/vendor/katex/).
// pymdownx.arithmatex (generic mode) leaves each formula in an element of class "arithmatex",
// its TeX between \( and \) when inline, or between \[ and \] when displayed on its own line.
function renderMath(root) {
  for (const element of root.querySelectorAll(".arithmatex")) {
    const tex = element.textContent.trim();
    const displayMode = tex.startsWith("\\[");
    try {
      katex.render(tex.slice(2, -2), element, { displayMode, throwOnError: true });
    } catch (error) {
      // Left as TeX, and said on the console, where the site's browser test looks.
      console.error(`KaTeX could not typeset ${tex}: ${error.message}`);
    }
  }
}

// Material's document$ announces every page shown, including those reached by instant navigation.
document$.subscribe(({ body }) => renderMath(body));
