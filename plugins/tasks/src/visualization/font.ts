import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';
import { getLogger } from '@trainkit/core';

/** The family name the bundled font is registered under (private, so it never shadows a system font). */
export const BUNDLED_FAMILY = 'trainkit-vis-mono';

const FONT_FILE = '@fontsource/dejavu-mono/files/dejavu-mono-latin-700-normal.woff2';

let family: string | undefined;

/**
 * The CSS font family labels are drawn with. Skia finds no glyphs at all on a machine without
 * system fonts (a bare CI image, a slim container), so the text would silently vanish; the font
 * shipped by @fontsource/dejavu-mono is registered once and put first, with the generic
 * `monospace` behind it for glyphs outside its Latin subset (class names in other scripts).
 * The bold cut is used because labels on small, busy images read better in bold.
 */
export function labelFontFamily(): string {
  if (family !== undefined) return family;
  let registered = false;
  try {
    const file = createRequire(import.meta.url).resolve(FONT_FILE);
    registered = GlobalFonts.registerFromPath(file, BUNDLED_FAMILY) !== null;
  } catch {
    // not installed (a trimmed deployment): system fonts are the only source left
  }
  if (!registered && GlobalFonts.families.length === 0) {
    getLogger().warn(
      `VisualizationHook: no font found (${FONT_FILE} is missing and the system has none); labels will not show. Reinstall @trainkit/hook-visualization`,
    );
  }
  family = registered ? `${BUNDLED_FAMILY}, monospace` : 'monospace';
  return family;
}
