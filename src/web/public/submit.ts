// 提交意见建议: the form, attachments uploaded one by one as they are picked (large photos shrunk on the
// phone first, shrink.ts), the proof of work solved in a worker, and a submission that can be retried
// after a network error without filing twice (the same clientRequestId answers the same receipt).

import { normalizePhone } from '../../shared/validators.js';
import { api, ApiError, loadMeta, uploadFile, type Meta, type UploadHandle } from './api.js';
import { append, busy, clearOnEdit, fieldError, h, heading, relabel, replace, setFieldError, summaryFollows, uid } from './dom.js';
import { uuid } from './ids.js';
import { Pow, type PowState } from './pow.js';
import { navigate, setTitle, type View } from './router.js';
import { prepareUpload } from './shrink.js';
import { S } from './strings.js';

export interface Receipt {
  receiptCode: string;
  publicNo: string;
}

interface Upload {
  file: File;
  state: 'shrinking' | 'uploading' | 'done' | 'failed';
  /** The size picked, when the photo was shrunk before upload. */
  original?: number;
  id?: string;
  token?: string;
  handle?: UploadHandle;
  row: HTMLLIElement;
}

const T = S.submit;

export const submitView: View = (root, { signal }) => {
  setTitle(T.title);
  const body = h('div', null, h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), S.common.loading));
  root.append(
    heading(T.title),
    h('p', { class: 'intro' }, T.intro),
    body,
  );
  let pow: Pow | undefined;
  const uploads: Upload[] = [];

  const load = () => {
    loadMeta().then(
      (meta) => {
        if (signal.aborted) return;
        pow = meta.challenge ? new Pow(true, (s) => powState(s)) : undefined;
        replace(body, form(meta));
      },
      (e: ApiError) => {
        if (signal.aborted) return;
        const retry = h('button', { type: 'button', class: 'btn', onclick: () => (replace(body, h('p', { class: 'loading', role: 'status' }, S.common.loading)), load()) }, S.common.retry);
        replace(body, h('div', { class: 'alert', role: 'alert' }, h('p', null, T.loadFailed(e.message)), retry));
      },
    );
  };

  const powLine = h('p', { class: 'pow', role: 'status', 'aria-live': 'polite' });
  const powState = (s: PowState) => {
    powLine.dataset.state = s;
    powLine.textContent = S.pow[s];
  };

  function form(meta: Meta) {
    const { maxContent, maxFiles, maxFileBytes, types } = meta.limits;
    // One id per filled form: a retry after a lost answer gets the first receipt back, not a second opinion.
    const clientRequestId = uuid();
    const ids = { category: uid('category'), content: uid('content'), files: uid('files'), name: uid('name'), phone: uid('phone') };

    const category = h(
      'select',
      { id: ids.category, name: 'category', required: true, 'aria-describedby': `${ids.category}-err` },
      h('option', { value: '' }, T.choose),
      meta.categories.map((c) => h('option', { value: c.code }, c.label)),
      h('option', { value: 'unsure' }, T.unsure),
    );
    const categoryErr = fieldError(`${ids.category}-err`);

    const content = h('textarea', {
      id: ids.content, name: 'content', rows: 7, maxlength: maxContent, required: true,
      'aria-describedby': `${ids.content}-hint ${ids.content}-count ${ids.content}-err`,
    });
    const counter = h('p', { class: 'counter', id: `${ids.content}-count` }, T.counter(0, maxContent));
    // Announced only near the limit: a live counter on every keystroke would drown a screen reader.
    const counterLive = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    const contentErr = fieldError(`${ids.content}-err`);
    let lastAnnounced = Infinity;
    content.addEventListener('input', () => {
      const n = content.value.length;
      const left = maxContent - n;
      counter.textContent = T.counter(n, maxContent);
      counter.classList.toggle('near', left <= 100);
      const mark = left <= 0 ? 0 : left <= 20 ? 20 : left <= 100 ? 100 : Infinity;
      if (mark < lastAnnounced) counterLive.textContent = left <= 0 ? T.atLimit : T.left(left);
      lastAnnounced = mark;
    });

    // ---- attachments ----
    const fileInput = h('input', {
      type: 'file', id: ids.files, accept: types.join(','), multiple: true, class: 'file-input',
      'aria-describedby': `${ids.files}-hint ${ids.files}-err`,
    });
    const pickLabel = h('label', { for: ids.files, class: 'btn' }, T.pick);
    // Full: the picker is switched off until a file is removed.
    const syncPicker = () => {
      const full = uploads.length >= maxFiles;
      fileInput.disabled = full;
      pickLabel.textContent = full ? T.full(maxFiles) : T.pick;
    };
    const fileList = h('ul', { class: 'files', 'aria-live': 'polite' });
    const filesErr = fieldError(`${ids.files}-err`);
    const problems: string[] = [];
    const showProblems = () => setFieldError(fileInput, filesErr, problems.length ? T.filesError(problems) : null);
    const removeButton = (u: Upload) => {
      const remove = h('button', { type: 'button', class: 'btn small', 'aria-label': T.removeLabel(u.file.name) }, T.remove);
      remove.addEventListener('click', () => {
        u.handle?.abort();
        uploads.splice(uploads.indexOf(u), 1);
        u.row.remove();
        problems.length = 0;
        showProblems();
        syncPicker();
        fileInput.focus();
      });
      return remove;
    };
    const sizeText = (u: Upload) => (u.original ? T.shrunk(u.original, u.file.size) : S.size(u.file.size));
    const startUpload = (u: Upload) => {
      const progress = h('progress', { max: 100, value: 0, 'aria-label': T.progress(u.file.name) });
      const state = h('span', { class: 'file-state' }, T.uploading);
      const remove = removeButton(u);
      replace(u.row, h('span', { class: 'file-name' }, u.file.name), h('span', { class: 'file-size' }, sizeText(u)), progress, state, remove);
      u.state = 'uploading';
      u.handle = uploadFile(u.file, (f) => (progress.value = Math.round(f * 100)));
      u.handle.promise.then(
        (r) => {
          u.state = 'done';
          u.id = r.id;
          u.token = r.token;
          progress.value = 100;
          state.textContent = T.uploaded;
          state.className = 'file-state ok';
        },
        (e: ApiError) => {
          if (e.code === 'ABORTED') return;
          u.state = 'failed';
          progress.remove();
          state.textContent = T.uploadFailed(e.message);
          state.className = 'file-state bad';
          const again = h('button', { type: 'button', class: 'btn small', 'aria-label': T.reupload(u.file.name) }, S.common.retry);
          again.addEventListener('click', () => startUpload(u));
          remove.before(again);
        },
      );
    };
    /** A photo over the limit or larger than needed is shrunk here first; then it uploads. */
    const prepare = async (u: Upload) => {
      u.state = 'shrinking';
      replace(u.row, h('span', { class: 'file-name' }, u.file.name), h('span', { class: 'file-size' }, S.size(u.file.size)), h('span', { class: 'file-state' }, T.shrinking), removeButton(u));
      const picked = u.file;
      const ready = await prepareUpload(picked, maxFileBytes);
      if (signal.aborted || !uploads.includes(u)) return;
      if (!ready) {
        uploads.splice(uploads.indexOf(u), 1);
        u.row.remove();
        problems.push(picked.size > maxFileBytes && !picked.type.startsWith('image/') ? T.tooBig(picked.name, maxFileBytes) : T.cannotShrink(picked.name));
        showProblems();
        syncPicker();
        return;
      }
      if (ready !== picked) {
        u.file = ready;
        u.original = picked.size;
      }
      startUpload(u);
    };
    fileInput.addEventListener('change', () => {
      const picked = Array.from(fileInput.files ?? []);
      fileInput.value = ''; // the same file may be picked again after removing it
      problems.length = 0;
      for (const file of picked) {
        if (uploads.length >= maxFiles) {
          problems.push(T.tooMany(maxFiles));
          break;
        }
        if (!types.includes(file.type)) {
          problems.push(T.notType(file.name));
          continue;
        }
        if (file.size > maxFileBytes && !file.type.startsWith('image/')) {
          problems.push(T.tooBig(file.name, maxFileBytes));
          continue;
        }
        const u: Upload = { file, state: 'shrinking', row: h('li', { class: 'file' }) };
        uploads.push(u);
        fileList.append(u.row);
        void prepare(u);
      }
      showProblems();
      syncPicker();
    });

    // ---- identity ----
    const idName = `identity-${clientRequestId.slice(0, 8)}`;
    const anon = h('input', { type: 'radio', name: idName, value: 'anonymous', checked: true });
    const named = h('input', { type: 'radio', name: idName, value: 'named' });
    const nameInput = h('input', { id: ids.name, name: 'name', type: 'text', autocomplete: 'name', maxlength: 30, 'aria-describedby': `${ids.name}-err` });
    const nameErr = fieldError(`${ids.name}-err`);
    const phoneInput = h('input', {
      id: ids.phone, name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 24,
      'aria-describedby': `${ids.phone}-hint ${ids.phone}-err`,
    });
    const phoneErr = fieldError(`${ids.phone}-err`);
    const wants = h('input', { type: 'checkbox', name: 'wantsContact' });
    const namedBox = h(
      'div',
      { class: 'named', hidden: true },
      h('div', { class: 'field' }, h('label', { for: ids.name }, T.name, h('span', { class: 'req' }, S.common.required)), nameInput, nameErr),
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.phone }, T.phone, h('span', { class: 'req' }, S.common.required)),
        h('p', { class: 'hint', id: `${ids.phone}-hint` }, T.phoneHint),
        phoneInput,
        phoneErr,
      ),
      h('label', { class: 'choice' }, wants, h('span', null, T.wantsContact)),
    );
    const identityErr = fieldError(uid('identity-err'));
    const onIdentity = () => {
      namedBox.hidden = !named.checked;
      if (!named.checked) {
        setFieldError(nameInput, nameErr, null);
        setFieldError(phoneInput, phoneErr, null);
      }
    };
    anon.addEventListener('change', onIdentity);
    named.addEventListener('change', onIdentity);
    phoneInput.addEventListener('blur', () => {
      const v = phoneInput.value.trim();
      const n = v ? normalizePhone(v) : null;
      // Shown as it will be kept (13904761234, 0476-8888888), so the citizen sees what staff will dial.
      if (n) phoneInput.value = n;
      if (v && !n) setFieldError(phoneInput, phoneErr, T.errors.phoneFormat);
      else if (phoneErr.textContent) setFieldError(phoneInput, phoneErr, null);
    });

    // Only scripts fill this: people never see it, keyboards never reach it.
    const honeypot = h('input', { type: 'text', name: 'website', id: uid('website'), tabindex: '-1', autocomplete: 'off' });
    const trap = h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: honeypot.id }, T.honeypot), honeypot);

    const general = h('div', { class: 'alert', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn primary block' }, T.submit);

    const fields: Record<string, [HTMLElement, HTMLElement]> = {
      category: [category, categoryErr],
      content: [content, contentErr],
      name: [nameInput, nameErr],
      phone: [phoneInput, phoneErr],
      attachments: [fileInput, filesErr],
      file: [fileInput, filesErr],
      identity: [anon, identityErr],
    };
    const clearErrors = () => {
      for (const [el, err] of Object.values(fields)) setFieldError(el, err, null);
      general.hidden = true;
      general.textContent = '';
    };
    const showGeneral = (msg: string) => {
      general.textContent = msg;
      general.hidden = false;
    };

    const formEl = h('form', { class: 'form', novalidate: true, 'aria-label': T.formLabel });
    const after = summaryFollows(formEl, general);
    clearOnEdit(category, category, categoryErr, after);
    clearOnEdit(content, content, contentErr, after);
    clearOnEdit(nameInput, nameInput, nameErr, after);
    clearOnEdit(phoneInput, phoneInput, phoneErr, after);

    const validate = () => {
      const errs: [string, string][] = [];
      const E = T.errors;
      if (!category.value) errs.push(['category', E.category]);
      const text = content.value.trim();
      if (text.length < 5) errs.push(['content', E.contentShort]);
      else if (text.length > maxContent) errs.push(['content', E.contentLong(maxContent)]);
      if (named.checked) {
        if (!nameInput.value.trim()) errs.push(['name', E.name]);
        const p = phoneInput.value.trim();
        if (!p) errs.push(['phone', E.phoneMissing]);
        else if (!normalizePhone(p)) errs.push(['phone', E.phoneFormat]);
      }
      if (uploads.some((u) => u.state === 'uploading' || u.state === 'shrinking')) errs.push(['attachments', E.uploading]);
      else if (uploads.some((u) => u.state === 'failed')) errs.push(['attachments', E.uploadFailed]);
      return errs;
    };

    let submitting = false;
    const send = async () => {
      const altcha = pow ? await pow.get() : undefined;
      busy(submit, true, S.common.submitting);
      const isNamed = named.checked;
      const payload = {
        category: category.value,
        content: content.value.trim(),
        identity: isNamed ? 'named' : 'anonymous',
        ...(isNamed ? { name: nameInput.value.trim(), phone: phoneInput.value.trim(), wantsContact: wants.checked } : {}),
        attachments: uploads.filter((u) => u.state === 'done').map((u) => ({ id: u.id!, token: u.token! })),
        website: honeypot.value,
        ...(altcha ? { altcha } : {}),
        clientRequestId,
      };
      return api<Receipt>('/api/public/opinions', { method: 'POST', body: payload, signal });
    };

    const onSubmit = async (e: Event) => {
      e.preventDefault();
      if (submitting) return;
      clearErrors();
      const errs = validate();
      if (errs.length) {
        for (const [f, msg] of errs) setFieldError(fields[f]![0], fields[f]![1], msg);
        showGeneral(T.errors.summary(errs.length));
        fields[errs[0]![0]]![0].focus();
        return;
      }
      submitting = true;
      busy(submit, true, pow && powLine.dataset.state !== 'done' ? S.pow.working : S.common.submitting);
      try {
        let r;
        try {
          r = await send();
        } catch (err) {
          // A solution the server no longer accepts (expired while the user wrote): solve anew, once.
          if (!(err instanceof ApiError) || err.code !== 'CHALLENGE' || !pow) throw err;
          pow.renew();
          busy(submit, true, S.pow.again);
          r = await send();
        }
        pow?.stop();
        navigate('/public/submit/done', { state: { receipt: { receiptCode: r.data.receiptCode, publicNo: r.data.publicNo } } });
      } catch (err) {
        if (signal.aborted) return;
        const ae = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
        const key = ae.field?.split('.')[0];
        const target = key ? fields[key] : undefined;
        if (target) {
          setFieldError(target[0], target[1], ae.message);
          showGeneral(T.errors.fix);
          target[0].focus();
        } else if (ae.retryable) {
          showGeneral(T.errors.retry(ae.message));
          relabel(submit, S.common.resubmit);
        } else {
          if (ae.code === 'CHALLENGE') pow?.renew();
          showGeneral(ae.message);
        }
      } finally {
        submitting = false;
        if (!signal.aborted) busy(submit, false);
      }
    };

    formEl.addEventListener('submit', onSubmit);
    append(formEl, [
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.category }, T.category, h('span', { class: 'req' }, S.common.required)),
        category,
        categoryErr,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.content }, T.content, h('span', { class: 'req' }, S.common.required)),
        h('p', { class: 'hint', id: `${ids.content}-hint` }, T.contentHint),
        content,
        counter,
        counterLive,
        contentErr,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.files }, T.files, h('span', { class: 'opt' }, S.common.optional)),
        h('p', { class: 'hint', id: `${ids.files}-hint` }, T.filesHint(maxFiles, maxFileBytes)),
        h('div', { class: 'file-pick' }, fileInput, pickLabel),
        fileList,
        filesErr,
      ),
      h(
        'fieldset',
        { class: 'field', 'aria-describedby': identityErr.id },
        h('legend', null, T.identity, h('span', { class: 'req' }, S.common.required)),
        h('label', { class: 'choice' }, anon, h('span', null, T.anonymous, h('small', null, T.anonymousHint))),
        h('label', { class: 'choice' }, named, h('span', null, T.named, h('small', null, T.namedHint))),
        identityErr,
      ),
      namedBox,
      trap,
      h('p', { class: 'note-small' }, T.privacy),
      pow ? powLine : null,
      general,
      submit,
    ]);
    return formEl;
  }

  load();
  return () => {
    pow?.stop();
    for (const u of uploads) u.handle?.abort();
  };
};
