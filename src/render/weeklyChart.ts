/** The report's bar chart of incidents per week, as a standalone SVG file: written by hand, no library. */
import type { WeekCount } from '../domain/report.js';

/** Text and attribute values: the five characters XML reserves. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const BAR = 22;
const GAP = 8;
const LEFT = 44;
const TOP = 40;
const PLOT = 180;
const BOTTOM = 56;
const RIGHT = 16;
/** Wide enough for the title however few weeks there are. */
const MIN_WIDTH = 440;

/** At most five gridlines on whole numbers. */
function gridStep(max: number): number {
  for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]) if (max / step <= 5) return step;
  return Math.ceil(max / 5);
}

export function weeklyChartSvg(weeks: readonly WeekCount[], title: string): string {
  const highest = Math.max(1, ...weeks.map((week) => week.count));
  const step = gridStep(highest);
  const top = Math.ceil(highest / step) * step;
  const width = Math.max(MIN_WIDTH, LEFT + weeks.length * (BAR + GAP) + RIGHT);
  const height = TOP + PLOT + BOTTOM;
  const y = (count: number) => TOP + PLOT - (count / top) * PLOT;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="20" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let tick = 0; tick <= top; tick += step) {
    lines.push(`<line x1="${LEFT}" y1="${y(tick)}" x2="${width - RIGHT}" y2="${y(tick)}" stroke="#dddddd"/>`);
    lines.push(`<text x="${LEFT - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`);
  }
  weeks.forEach((week, index) => {
    const x = LEFT + GAP / 2 + index * (BAR + GAP);
    const barTop = y(week.count);
    lines.push(`<rect x="${x}" y="${barTop}" width="${BAR}" height="${TOP + PLOT - barTop}" fill="#4a6fa5"><title>${escapeXml(`${week.weekOf}: ${week.count}`)}</title></rect>`);
    if (week.count > 0) lines.push(`<text x="${x + BAR / 2}" y="${barTop - 4}" text-anchor="middle">${week.count}</text>`);
    const labelX = x + BAR / 2;
    const labelY = TOP + PLOT + 12;
    lines.push(`<text x="${labelX}" y="${labelY}" text-anchor="end" transform="rotate(-45 ${labelX} ${labelY})">${escapeXml(week.weekOf.slice(5))}</text>`);
  });
  lines.push('</svg>', '');
  return lines.join('\n');
}
