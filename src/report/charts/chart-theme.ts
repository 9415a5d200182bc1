import type { TopLevelSpec } from 'vega-lite';

/** Shared look of every report chart: one font, quiet axes, arms in fixed colors. */
const ARM_COLORS: Readonly<Record<string, string>> = { control: '#8a8f98', treatment: '#1b6ca8' };
const EXTRA_COLORS = ['#d9822b', '#5b8c3a', '#8e5ea2', '#b24a4a'];

export const ACCENT = '#1b6ca8';
export const MUTED = '#c9ced6';
export const INK = '#1f2933';

/**
 * A color scale that keeps each arm's color whichever arms a study has. Only the arms in
 * `drawn` (those with a mark in the chart) are in the legend: a legend never names a mark
 * that is not drawn.
 */
export function armScale(arms: readonly string[], drawn: readonly string[] = arms): { domain: string[]; range: string[] } {
  let extra = 0;
  const colors = arms.map((arm) => ARM_COLORS[arm] ?? EXTRA_COLORS[extra++ % EXTRA_COLORS.length]);
  const shown = arms.map((arm, i) => [arm, colors[i]] as const).filter(([arm]) => drawn.includes(arm));
  return { domain: shown.map(([arm]) => arm), range: shown.map(([, color]) => color) };
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The size of axis and legend labels, in px: the smallest text a chart has. */
export const LABEL_SIZE = 11;

export const CHART_CONFIG: NonNullable<TopLevelSpec['config']> = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: '#ffffff',
  view: { stroke: null },
  // Line heights of wrapped text leave a gap between lines (a DejaVu Sans line is 1.16 em tall).
  axis: {
    labelColor: INK,
    titleColor: INK,
    labelFontSize: LABEL_SIZE,
    labelLineHeight: 14,
    titleFontSize: 12,
    titleLineHeight: 16,
    gridColor: '#eceff3',
    domainColor: '#9aa5b1',
    tickColor: '#9aa5b1',
  },
  legend: { labelFontSize: LABEL_SIZE, titleFontSize: 12, orient: 'bottom' },
  title: {
    fontSize: 14,
    lineHeight: 18,
    subtitleFontSize: 12,
    subtitleLineHeight: 16,
    anchor: 'start',
    color: INK,
    subtitleColor: '#52606d',
  },
};

/** The percent format of every axis that shows a share or an effect. */
export const PERCENT = '.0%';

/**
 * A chart's layout: `wide` for a desktop page and for paper, `narrow` for a phone. The
 * report carries both and its stylesheet shows one, so a chart is never scaled down to
 * unreadable text nor wider than a phone's screen.
 */
export type ChartLayout = 'wide' | 'narrow';

/** The whole width of a narrow chart, axes and legend included: fits a 360 px screen less its margins. */
export const NARROW_WIDTH = 330;

/**
 * Breaks a title or subtitle into lines of at most `maxChars` characters at spaces (a
 * word longer than that gets a line of its own): Vega draws an array as lines, and a
 * title never wraps by itself.
 *
 * @example
 * wrapWords('Shaded blue: the 72% chance that absences went down', 30); // ['Shaded blue: the 72% chance', 'that absences went down']
 */
export function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Characters per line of a title (14 px bold) and a subtitle (12 px) in each layout. */
const TITLE_CHARS: Readonly<Record<ChartLayout, { title: number; subtitle: number }>> = {
  wide: { title: 64, subtitle: 84 },
  narrow: { title: 34, subtitle: 44 },
};

/** A chart title as each layout shows it: wrapped into lines, since Vega never wraps a title. */
export function chartTitle(text: string, subtitle: string, layout: ChartLayout): { text: string[]; subtitle: string[] } {
  return { text: wrapWords(text, TITLE_CHARS[layout].title), subtitle: wrapWords(subtitle, TITLE_CHARS[layout].subtitle) };
}
