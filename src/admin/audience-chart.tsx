import { type ReactNode, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesPoint, Step } from '../core/audience.js';
import { formatCount } from './plural.js';

/**
 * Where a point sits on the time axis: its instant, or for a day midnight
 * UTC of its date (the axis then names days in UTC, which is that date).
 */
function secondsOf(point: SeriesPoint, step: Step): number {
  return Date.parse(step === 'day' ? `${point.at}T00:00:00Z` : point.at) / 1000;
}

const STEP_SECONDS: Record<Step, number> = { minute: 60, hour: 3600, day: 86_400 };
const TICK_STEPS: Record<Step, number[]> = {
  minute: [60, 300, 600, 900],
  hour: [3600, 7200, 10_800, 21_600],
  day: [86_400, 172_800, 432_000, 604_800],
};

/** A point's name in the table under the chart. */
function pointLabel(point: SeriesPoint, step: Step, timeZone: string): string {
  if (step === 'day')
    return new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    }).format(new Date(`${point.at}T12:00:00Z`));
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(point.at));
}

/**
 * Views over time as a bar chart drawn by uPlot (a small canvas charting
 * library), as wide as its box and redrawn when that changes. The canvas is
 * hidden from screen readers: the same numbers follow as a table.
 */
export function ViewsChart({
  series,
  step,
  timeZone,
  label,
  height = 220,
}: {
  series: SeriesPoint[];
  step: Step;
  timeZone: string;
  label: string;
  height?: number;
}): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  // The points the chart is made with; later ones are handed to it (setData).
  const seriesRef = useRef(series);
  seriesRef.current = series;
  const dataOf = (points: SeriesPoint[]): uPlot.AlignedData => [
    points.map((point) => secondsOf(point, step)),
    points.map((point) => point.views),
  ];

  // biome-ignore lint/correctness/useExhaustiveDependencies: made again only when its kind changes; new points go through setData below
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const styles = getComputedStyle(element);
    const ink = styles.getPropertyValue('--chart-ink').trim() || '#1d4ed8';
    const grid = styles.getPropertyValue('--chart-grid').trim() || 'rgba(0,0,0,0.08)';
    const text = styles.color || '#222';
    const half = STEP_SECONDS[step] / 2;
    // Days are placed at midnight UTC of their date (secondsOf), so named in UTC.
    const tickLabel = new Intl.DateTimeFormat(
      'en-GB',
      step === 'day'
        ? { day: 'numeric', month: 'short', timeZone: 'UTC' }
        : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone },
    );
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height,
        legend: { show: false },
        cursor: { points: { show: false } },
        tzDate: (seconds) =>
          uPlot.tzDate(new Date(seconds * 1000), step === 'day' ? 'UTC' : timeZone),
        scales: {
          // Half a step either side, so the first and last bars are whole.
          x: { time: true, range: (_u, min, max) => [min - half, max + half] },
          y: { range: (_u, _min, max) => [0, Math.max(max, 4) * 1.1] },
        },
        axes: [
          {
            stroke: text,
            grid: { stroke: grid },
            ticks: { stroke: grid },
            values: (_u, splits) => splits.map((seconds) => tickLabel.format(seconds * 1000)),
            // Ticks fall on whole steps: days on days, hours on hours.
            incrs: TICK_STEPS[step],
          },
          {
            stroke: text,
            grid: { stroke: grid },
            ticks: { stroke: grid },
            values: (_u, values) => values.map((value) => formatCount(value)),
            size: 48,
          },
        ],
        series: [
          {},
          {
            label: 'Views',
            stroke: ink,
            fill: `${ink}33`,
            width: 1,
            paths: uPlot.paths.bars?.({ size: [0.7, 40] }),
            points: { show: false },
          },
        ],
      },
      dataOf(seriesRef.current),
      element,
    );
    chartRef.current = chart;
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 200), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      chartRef.current = null;
    };
  }, [step, timeZone, height]);

  // New numbers for the same chart (right now, read again every few seconds).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `dataOf` follows `step`, which makes a new chart anyway
  useEffect(() => {
    chartRef.current?.setData(dataOf(series));
  }, [series]);

  return (
    <figure className="views-chart">
      <div ref={box} className="views-chart-canvas" aria-hidden="true" />
      <details>
        <summary>{label} as a table</summary>
        <table className="numbers">
          <thead>
            <tr>
              <th scope="col">{step === 'day' ? 'Day' : step === 'hour' ? 'Hour' : 'Minute'}</th>
              <th scope="col">Views</th>
            </tr>
          </thead>
          <tbody>
            {series.map((point) => (
              <tr key={point.at}>
                <th scope="row">{pointLabel(point, step, timeZone)}</th>
                <td>{formatCount(point.views)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
