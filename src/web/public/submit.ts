// 提交意见建议: the form, attachments uploaded one by one as they are picked, the proof of work solved in
// the background, and a submission that can be retried after a network error without filing twice
// (the same clientRequestId answers the same receipt).

import { isValidPhone } from '../../shared/validators.js';
import { api, ApiError, loadMeta, uploadFile, type Meta, type UploadHandle } from './api.js';
import { append, busy, clearOnEdit, fieldError, h, heading, relabel, replace, setFieldError, summaryFollows, uid } from './dom.js';
import { uuid } from './ids.js';
import { Pow, type PowState } from './pow.js';
import { navigate, setTitle, type View } from './router.js';

export interface Receipt {
  receiptCode: string;
  publicNo: string;
}

interface Upload {
  file: File;
  state: 'uploading' | 'done' | 'failed';
  id?: string;
  token?: string;
  handle?: UploadHandle;
  row: HTMLLIElement;
}

const POW_TEXT: Record<PowState, string> = {
  off: '',
  working: '正在进行安全验证…',
  done: '验证完成',
  retrying: '安全验证需要联网，正在重试…',
};

const kb = (n: number) => (n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

export const submitView: View = (root, { signal }) => {
  setTitle('提交意见建议');
  const body = h('div', null, h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), '正在加载…'));
  root.append(
    heading('提交意见建议'),
    h('p', { class: 'intro' }, '请如实反映问题或提出建议。提交后您将获得查询码，凭查询码可查看办理进度和答复。'),
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
        const retry = h('button', { type: 'button', class: 'btn', onclick: () => (replace(body, h('p', { class: 'loading', role: 'status' }, '正在加载…')), load()) }, '重试');
        replace(body, h('div', { class: 'alert', role: 'alert' }, h('p', null, `表单加载失败：${e.message}`), retry));
      },
    );
  };

  const powLine = h('p', { class: 'pow', role: 'status', 'aria-live': 'polite' });
  const powState = (s: PowState) => {
    powLine.dataset.state = s;
    powLine.textContent = POW_TEXT[s];
  };

  function form(meta: Meta) {
    const { maxContent, maxFiles, maxFileBytes, types } = meta.limits;
    // One id per filled form: a retry after a lost answer gets the first receipt back, not a second opinion.
    const clientRequestId = uuid();
    const ids = { category: uid('category'), content: uid('content'), files: uid('files'), name: uid('name'), phone: uid('phone') };

    const category = h(
      'select',
      { id: ids.category, name: 'category', required: true, 'aria-describedby': `${ids.category}-err` },
      h('option', { value: '' }, '请选择'),
      meta.categories.map((c) => h('option', { value: c.code }, c.label)),
      h('option', { value: 'unsure' }, '不确定/由工作人员分类'),
    );
    const categoryErr = fieldError(`${ids.category}-err`);

    const content = h('textarea', {
      id: ids.content, name: 'content', rows: 7, maxlength: maxContent, required: true,
      'aria-describedby': `${ids.content}-hint ${ids.content}-count ${ids.content}-err`,
    });
    const counter = h('p', { class: 'counter', id: `${ids.content}-count` }, `已输入 0 / ${maxContent} 字`);
    // Announced only near the limit: a live counter on every keystroke would drown a screen reader.
    const counterLive = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    const contentErr = fieldError(`${ids.content}-err`);
    let lastAnnounced = Infinity;
    content.addEventListener('input', () => {
      const n = content.value.length;
      const left = maxContent - n;
      counter.textContent = `已输入 ${n} / ${maxContent} 字`;
      counter.classList.toggle('near', left <= 100);
      const mark = left <= 0 ? 0 : left <= 20 ? 20 : left <= 100 ? 100 : Infinity;
      if (mark < lastAnnounced) counterLive.textContent = left <= 0 ? '已达到字数上限' : `还可输入 ${left} 字`;
      lastAnnounced = mark;
    });

    // ---- attachments ----
    const fileInput = h('input', {
      type: 'file', id: ids.files, accept: types.join(','), multiple: true, class: 'file-input',
      'aria-describedby': `${ids.files}-hint ${ids.files}-err`,
    });
    const pickLabel = h('label', { for: ids.files, class: 'btn' }, '＋ 选择照片或文件');
    // Full: the picker is switched off until a file is removed.
    const syncPicker = () => {
      const full = uploads.length >= maxFiles;
      fileInput.disabled = full;
      pickLabel.textContent = full ? `已达 ${maxFiles} 个上限` : '＋ 选择照片或文件';
    };
    const fileList = h('ul', { class: 'files', 'aria-live': 'polite' });
    const filesErr = fieldError(`${ids.files}-err`);
    const typeNames = '照片（JPEG、PNG）或 PDF 文件';
    const startUpload = (u: Upload) => {
      const progress = h('progress', { max: 100, value: 0, 'aria-label': `${u.file.name} 上传进度` });
      const state = h('span', { class: 'file-state' }, '正在上传…');
      const remove = h('button', { type: 'button', class: 'btn small', 'aria-label': `删除 ${u.file.name}` }, '删除');
      replace(u.row, h('span', { class: 'file-name' }, u.file.name), h('span', { class: 'file-size' }, kb(u.file.size)), progress, state, remove);
      u.state = 'uploading';
      u.handle = uploadFile(u.file, (f) => (progress.value = Math.round(f * 100)));
      remove.addEventListener('click', () => {
        u.handle?.abort();
        uploads.splice(uploads.indexOf(u), 1);
        u.row.remove();
        setFieldError(fileInput, filesErr, null);
        syncPicker();
        fileInput.focus();
      });
      u.handle.promise.then(
        (r) => {
          u.state = 'done';
          u.id = r.id;
          u.token = r.token;
          progress.value = 100;
          state.textContent = '已上传';
          state.className = 'file-state ok';
        },
        (e: ApiError) => {
          if (e.code === 'ABORTED') return;
          u.state = 'failed';
          progress.remove();
          state.textContent = `上传失败：${e.message}`;
          state.className = 'file-state bad';
          const again = h('button', { type: 'button', class: 'btn small', 'aria-label': `重新上传 ${u.file.name}` }, '重试');
          again.addEventListener('click', () => startUpload(u));
          remove.before(again);
        },
      );
    };
    fileInput.addEventListener('change', () => {
      const picked = Array.from(fileInput.files ?? []);
      fileInput.value = ''; // the same file may be picked again after removing it
      const problems: string[] = [];
      for (const file of picked) {
        if (uploads.length >= maxFiles) {
          problems.push(`最多上传 ${maxFiles} 个文件`);
          break;
        }
        if (!types.includes(file.type)) {
          problems.push(`“${file.name}”不是${typeNames}`);
          continue;
        }
        if (file.size > maxFileBytes) {
          problems.push(`“${file.name}”超过 ${kb(maxFileBytes)}`);
          continue;
        }
        const u: Upload = { file, state: 'uploading', row: h('li', { class: 'file' }) };
        uploads.push(u);
        fileList.append(u.row);
        startUpload(u);
      }
      setFieldError(fileInput, filesErr, problems.length ? `附件：${problems.join('；')}` : null);
      syncPicker();
    });

    // ---- identity ----
    const idName = `identity-${clientRequestId.slice(0, 8)}`;
    const anon = h('input', { type: 'radio', name: idName, value: 'anonymous', checked: true });
    const named = h('input', { type: 'radio', name: idName, value: 'named' });
    const nameInput = h('input', { id: ids.name, name: 'name', type: 'text', autocomplete: 'name', maxlength: 30, 'aria-describedby': `${ids.name}-err` });
    const nameErr = fieldError(`${ids.name}-err`);
    const phoneInput = h('input', {
      id: ids.phone, name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 20,
      'aria-describedby': `${ids.phone}-hint ${ids.phone}-err`,
    });
    const phoneErr = fieldError(`${ids.phone}-err`);
    const wants = h('input', { type: 'checkbox', name: 'wantsContact' });
    const namedBox = h(
      'div',
      { class: 'named', hidden: true },
      h('div', { class: 'field' }, h('label', { for: ids.name }, '姓名', h('span', { class: 'req' }, '（必填）')), nameInput, nameErr),
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.phone }, '联系电话', h('span', { class: 'req' }, '（必填）')),
        h('p', { class: 'hint', id: `${ids.phone}-hint` }, '11 位手机号，或带区号的固定电话（如 0476-8888888）'),
        phoneInput,
        phoneErr,
      ),
      h('label', { class: 'choice' }, wants, h('span', null, '希望工作人员联系我')),
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
      if (v && !isValidPhone(v)) setFieldError(phoneInput, phoneErr, '联系电话：格式不正确（应为 11 位手机号或带区号的固定电话）');
      else if (phoneErr.textContent) setFieldError(phoneInput, phoneErr, null);
    });

    // Only scripts fill this: people never see it, keyboards never reach it.
    const honeypot = h('input', { type: 'text', name: 'website', id: uid('website'), tabindex: '-1', autocomplete: 'off' });
    const trap = h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: honeypot.id }, '网址（请勿填写）'), honeypot);

    const general = h('div', { class: 'alert', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn primary block' }, '提交');

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

    const formEl = h('form', { class: 'form', novalidate: true, 'aria-label': '意见建议' });
    const after = summaryFollows(formEl, general);
    clearOnEdit(category, category, categoryErr, after);
    clearOnEdit(content, content, contentErr, after);
    clearOnEdit(nameInput, nameInput, nameErr, after);
    clearOnEdit(phoneInput, phoneInput, phoneErr, after);

    const validate = () => {
      const errs: [string, string][] = [];
      if (!category.value) errs.push(['category', '意见类别：请选择，拿不准可选“不确定/由工作人员分类”']);
      const text = content.value.trim();
      if (text.length < 5) errs.push(['content', '意见内容：至少 5 个字']);
      else if (text.length > maxContent) errs.push(['content', `意见内容：不能超过 ${maxContent} 字`]);
      if (named.checked) {
        if (!nameInput.value.trim()) errs.push(['name', '姓名：实名提交须填写姓名']);
        const p = phoneInput.value.trim();
        if (!p) errs.push(['phone', '联系电话：实名提交须填写联系电话']);
        else if (!isValidPhone(p)) errs.push(['phone', '联系电话：格式不正确（应为 11 位手机号或带区号的固定电话）']);
      }
      if (uploads.some((u) => u.state === 'uploading')) errs.push(['attachments', '附件：正在上传，请稍候再提交']);
      else if (uploads.some((u) => u.state === 'failed')) errs.push(['attachments', '附件：有文件上传失败，请重试或删除后再提交']);
      return errs;
    };

    let submitting = false;
    const send = async () => {
      const altcha = pow ? await pow.get() : undefined;
      busy(submit, true, '正在提交…');
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
        showGeneral(`有 ${errs.length} 处需要修改，请按提示填写。`);
        fields[errs[0]![0]]![0].focus();
        return;
      }
      submitting = true;
      busy(submit, true, pow && powLine.dataset.state !== 'done' ? '正在进行安全验证…' : '正在提交…');
      try {
        let r;
        try {
          r = await send();
        } catch (err) {
          // A solution the server no longer accepts (expired while the user wrote): solve anew, once.
          if (!(err instanceof ApiError) || err.code !== 'CHALLENGE' || !pow) throw err;
          pow.renew();
          busy(submit, true, '正在重新进行安全验证…');
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
          showGeneral('提交未成功，请按提示修改后重新提交。');
          target[0].focus();
        } else if (ae.retryable) {
          showGeneral(`${ae.message}您填写的内容已保留，请点击“重新提交”。`);
          relabel(submit, '重新提交');
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
        h('label', { for: ids.category }, '意见类别', h('span', { class: 'req' }, '（必填）')),
        category,
        categoryErr,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.content }, '意见内容', h('span', { class: 'req' }, '（必填）')),
        h('p', { class: 'hint', id: `${ids.content}-hint` }, '请具体说明事情经过、涉及的单位或事项，以及您的建议。'),
        content,
        counter,
        counterLive,
        contentErr,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.files }, '照片或文件', h('span', { class: 'opt' }, '（选填）')),
        h('p', { class: 'hint', id: `${ids.files}-hint` }, `可上传${typeNames}，最多 ${maxFiles} 个，每个不超过 ${kb(maxFileBytes)}。`),
        h('div', { class: 'file-pick' }, fileInput, pickLabel),
        fileList,
        filesErr,
      ),
      h(
        'fieldset',
        { class: 'field', 'aria-describedby': identityErr.id },
        h('legend', null, '提交方式', h('span', { class: 'req' }, '（必填）')),
        h('label', { class: 'choice' }, anon, h('span', null, '匿名（背对背）', h('small', null, '不填写姓名和联系方式'))),
        h('label', { class: 'choice' }, named, h('span', null, '实名（面对面）', h('small', null, '便于工作人员向您了解情况、反馈结果'))),
        identityErr,
      ),
      namedBox,
      trap,
      h('p', { class: 'note-small' }, '实名信息加密保存，仅用于办理和回复，不对外公开。'),
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
