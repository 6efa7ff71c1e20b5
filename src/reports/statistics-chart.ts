import { escapeXml } from './budget-chart';

/**
 * The statistics page's charts: bars of whole counts (courses per month, citizens per band …) drawn on the
 * server as SVG. One image to assistive technology, named by its <title> and described by its <desc>; the
 * page shows the same numbers in the table beside it. Pure; whole-number coordinates.
 */

export interface CountBar {
  label: string;
  count: number;
  /** The value as shown, when not the count itself (a share: '0,49 %'). */
  text?: string;
}

const W = 480;
const H = 220;
const LEFT = 36;
const BOTTOM = 48;
const TOP = 16;

/** `id` names the drawing's title and description, unique on the page. */
export function countChartSvg(id: string, bars: CountBar[], title: string, description: string): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const plot = H - TOP - BOTTOM;
  const slot = bars.length === 0 ? 0 : Math.floor((W - LEFT - 8) / bars.length);
  const width = Math.max(4, slot - 6);
  const parts = bars.map((bar, i) => {
    const height = Math.floor((bar.count * plot * 2 + max) / (2 * max));
    const x = LEFT + i * slot + 3;
    const y = TOP + plot - height;
    const label = escapeXml(bar.label);
    return (
      `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="#1f5f8b"><title>${label}: ${escapeXml(bar.text ?? String(bar.count))}</title></rect>` +
      `<text x="${x + Math.floor(width / 2)}" y="${H - BOTTOM + 14}" font-size="11" text-anchor="end" transform="rotate(-40 ${x + Math.floor(width / 2)} ${H - BOTTOM + 14})">${label}</text>` +
      `<text x="${x + Math.floor(width / 2)}" y="${y - 3}" font-size="11" text-anchor="middle">${escapeXml(bar.text ?? String(bar.count))}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" class="chart">` +
    `<title id="${id}-t">${escapeXml(title)}</title><desc id="${id}-d">${escapeXml(description)}</desc>` +
    `<line x1="${LEFT}" y1="${TOP + plot}" x2="${W - 8}" y2="${TOP + plot}" stroke="#333"/>` +
    parts.join('') +
    `</svg>`
  );
}
