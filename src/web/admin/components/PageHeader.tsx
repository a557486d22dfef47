// The heading every page starts with: the page's h1 (its title from the route table), an optional
// line under it, and the page's buttons on the right. Plain markup (app.css): every page loads it.
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { routeFor } from '../routes.js';

export interface PageHeaderProps {
  /** Only where the route's title does not fit (404): the h1 is the menu's name for the page. */
  title?: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
}

export function PageHeader({ title, subTitle, extra }: PageHeaderProps) {
  const { pathname } = useLocation();
  return (
    <div className="page-header">
      <div>
        <h1 className="page-title">{title ?? routeFor(pathname)?.title}</h1>
        {subTitle ? <p className="page-subtitle">{subTitle}</p> : null}
      </div>
      {extra ? <div className="page-actions">{extra}</div> : null}
    </div>
  );
}
