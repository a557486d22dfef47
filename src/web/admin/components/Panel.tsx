// A titled white box of a page with several parts (the home page's figures, a statistics table, a
// round's coverage): the panel (app.css) named by its h2, with an optional link or button beside it.
import type { CSSProperties, ReactNode } from 'react';

export function Panel({ title, extra, style, children }: { title: string; extra?: ReactNode; style?: CSSProperties; children: ReactNode }) {
  return (
    <section className="panel" aria-label={title} style={style}>
      <div className="panel-title">
        <h2>{title}</h2>
        {extra}
      </div>
      {children}
    </section>
  );
}
