import { escapeHtml } from './html.js';

/** The page frame: NL Design System (Utrecht) styles and tokens, a skip link, and the one script. */
export function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="nl" class="utrecht-theme">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | Meldroute Noord-Nederland</title>
<link rel="stylesheet" href="/assets/design-tokens.css">
<link rel="stylesheet" href="/assets/component-library.css">
<link rel="stylesheet" href="/assets/site.css">
<script type="module" src="/assets/form.js"></script>
</head>
<body class="utrecht-document utrecht-document--surface">
<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">Naar de inhoud</a>
<div class="utrecht-page">
<header class="site-header"><p class="utrecht-paragraph site-name">Meldpunt mensenhandel Noord-Nederland</p></header>
<main id="inhoud" class="utrecht-page-content" tabindex="-1">
${main}
</main>
<footer class="site-footer"><p class="utrecht-paragraph">Bij direct gevaar: bel <strong>112</strong>. Anoniem iets melden over misdaad kan ook bij Meld Misdaad Anoniem: 0800-7000.</p></footer>
</div>
</body>
</html>
`;
}
