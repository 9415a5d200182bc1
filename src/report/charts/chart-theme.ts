import type { TopLevelSpec } from 'vega-lite';

/** Shared look of every report chart: one font, quiet axes, arms in fixed colors. */
const ARM_COLORS: Readonly<Record<string, string>> = { control: '#8a8f98', treatment: '#1b6ca8' };
const EXTRA_COLORS = ['#d9822b', '#5b8c3a', '#8e5ea2', '#b24a4a'];

export const ACCENT = '#1b6ca8';
export const MUTED = '#c9ced6';
export const INK = '#1f2933';

/** A color scale that keeps each arm's color whichever arms a study has. */
export function armScale(arms: readonly string[]): { domain: string[]; range: string[] } {
  let extra = 0;
  return { domain: [...arms], range: arms.map((arm) => ARM_COLORS[arm] ?? EXTRA_COLORS[extra++ % EXTRA_COLORS.length]) };
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const CHART_CONFIG: NonNullable<TopLevelSpec['config']> = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: '#ffffff',
  view: { stroke: null },
  axis: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 12, gridColor: '#eceff3', domainColor: '#9aa5b1', tickColor: '#9aa5b1' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
  title: { fontSize: 14, subtitleFontSize: 12, anchor: 'start', color: INK, subtitleColor: '#52606d' },
};

/** The percent format of every axis that shows a share or an effect. */
export const PERCENT = '.0%';
