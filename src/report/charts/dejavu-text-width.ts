/**
 * Text widths in DejaVu Sans, the font the report sets for its charts, so Vega lays out
 * labels, titles and legends by the width they will have in the browser: Vega in Node has
 * no canvas and otherwise guesses 0.8 em a character, a third too wide, which truncates
 * labels and shifts titles. Advance widths per 1000 em, measured in Chromium's canvas
 * (Debian's fonts-dejavu-core); kerning is ignored. A browser without DejaVu Sans falls
 * back to Helvetica or Arial, which are narrower, so nothing laid out here overflows there.
 */

const CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~–—−…→×±≤≥·’“”é';

const NORMAL = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337,
  337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
  684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635,
  635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 500, 1000, 838, 1000, 838, 838, 838, 838, 838, 318, 318, 518, 518,
  615,
];

const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400,
  400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812,
  774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716,
  716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838, 500, 1000, 838, 1000, 838, 838, 838, 838, 838, 380, 380, 657, 657,
  678,
];

/** The width of a character missing from the table: a digit's. */
const OTHER = { normal: 636, bold: 696 };

const ADVANCE = new Map([...CHARS].map((c, i) => [c, { normal: NORMAL[i], bold: BOLD[i] }]));

/**
 * The width in pixels of one line of `text` set at `fontSize` px in DejaVu Sans.
 *
 * @example
 * dejaVuTextWidth('10%', 11); // 24.442
 */
export function dejaVuTextWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const c of text) units += (ADVANCE.get(c) ?? OTHER)[bold ? 'bold' : 'normal'];
  return (units * fontSize) / 1000;
}
