// The public pages (开门纳谏 for citizens): no login, no framework, small enough for a weak mobile
// network. Each view has its own URL under /public; the server answers every /public/* path with
// this page.

import { h, heading } from './dom.js';
import { homeView } from './home.js';
import { receiptView } from './receipt.js';
import { setTitle, startRouter, type View } from './router.js';
import { submitView } from './submit.js';
import { surveyListView, surveyView } from './surveys.js';
import { trackCodeView, trackFormView } from './track.js';

const notFound: View = (root) => {
  setTitle('页面不存在');
  root.append(
    heading('页面不存在'),
    h('p', null, '您访问的页面不存在，可能是链接有误。'),
    h('p', { class: 'actions' }, h('a', { class: 'btn primary', href: '/public' }, '返回首页')),
  );
};

startRouter(
  [
    [/^\/public\/?$/, homeView],
    [/^\/public\/submit\/?$/, submitView],
    [/^\/public\/submit\/done\/?$/, receiptView],
    [/^\/public\/track\/?$/, trackFormView],
    [/^\/public\/track\/([^/]+)\/?$/, trackCodeView],
    [/^\/public\/surveys\/?$/, surveyListView],
    [/^\/public\/surveys\/([^/]+)\/?$/, surveyView],
  ],
  notFound,
);
