// One ECharts chart. The library is loaded on first use (see echarts.ts); the chart follows its
// box's size and reports clicks on data items (the drill-down into records).
import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption, ECElementEvent, EChartsType } from 'echarts/core';

export interface ChartProps {
  option: EChartsCoreOption;
  height?: number;
  /** A data item was clicked: its index in the series data and its name. */
  onItemClick?: (e: { dataIndex: number; name: string; seriesIndex: number }) => void;
  /** Read out by screen readers instead of the canvas. */
  ariaLabel: string;
}

export function Chart({ option, height = 320, onItemClick, ariaLabel }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('./echarts.js').then(({ echarts }) => {
      if (disposed || !box.current) return;
      const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
      chart.current = c;
      c.on('click', (e) => {
        const ev = e as ECElementEvent;
        if (typeof ev.dataIndex === 'number') clickRef.current?.({ dataIndex: ev.dataIndex, name: String(ev.name ?? ''), seriesIndex: ev.seriesIndex ?? 0 });
      });
      observer = new ResizeObserver(() => c.resize());
      observer.observe(box.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready && chart.current) chart.current.setOption({ aria: { enabled: true }, ...option }, true);
  }, [ready, option]);

  return (
    <div style={{ position: 'relative', height }} role="img" aria-label={ariaLabel} data-chart>
      <div ref={box} style={{ width: '100%', height: '100%' }} />
      {ready ? null : <div className="boot-spinner" style={{ position: 'absolute', inset: 0, margin: 'auto' }} aria-hidden="true" />}
    </div>
  );
}
