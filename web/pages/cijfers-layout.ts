import { layout } from './layout.js';

const FORM_SCRIPT = '<script type="module" src="/assets/form.js"></script>';
const CIJFERS_ASSETS = '<link rel="stylesheet" href="/assets/cijfers.css">\n<script type="module" src="/assets/cijfers.js"></script>';

/**
 * The site's frame with the monitor's own style sheet and script in place of the form's. (Files, never
 * inline: the CSP allows no inline script or style.)
 */
export function cijfersLayout(title: string, main: string): string {
  const page = layout(title, main);
  if (!page.includes(FORM_SCRIPT)) throw new Error("the layout's script tag changed: update cijfers-layout.ts");
  return page.replace(FORM_SCRIPT, CIJFERS_ASSETS);
}
