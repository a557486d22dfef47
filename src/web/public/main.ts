// The public pages (开门纳谏 for citizens): no login, no framework, small enough for a weak mobile
// network. Each view has its own URL under /public; the server answers exactly these routes
// (src/shared/web-routes.ts) with this page, and any other /public path with it too but as a 404.

import { PUBLIC_ROUTES } from '../../shared/web-routes.js';
import { h, heading } from './dom.js';
import { homeView } from './home.js';
import { ledgerItemView, ledgerListView } from './ledger.js';
import { receiptView } from './receipt.js';
import { setTitle, startRouter, type View } from './router.js';
import { serviceMeasuresView } from './service.js';
import { S } from './strings.js';
import { submitView } from './submit.js';
import { surveyListView, surveyView } from './surveys.js';
import { trackCodeView, trackFormView } from './track.js';

const notFound: View = (root) => {
  setTitle(S.notFound.title);
  root.append(
    heading(S.notFound.title),
    h('p', null, S.notFound.text),
    h('p', { class: 'actions' }, h('a', { class: 'btn primary', href: '/public' }, S.common.home)),
  );
};

startRouter(
  [
    [PUBLIC_ROUTES.home, homeView],
    [PUBLIC_ROUTES.submit, submitView],
    [PUBLIC_ROUTES.receipt, receiptView],
    [PUBLIC_ROUTES.trackForm, trackFormView],
    [PUBLIC_ROUTES.trackCode, trackCodeView],
    [PUBLIC_ROUTES.surveys, surveyListView],
    [PUBLIC_ROUTES.survey, surveyView],
    [PUBLIC_ROUTES.ledger, ledgerListView],
    [PUBLIC_ROUTES.ledgerItem, ledgerItemView],
    [PUBLIC_ROUTES.serviceMeasures, serviceMeasuresView],
  ],
  notFound,
);
