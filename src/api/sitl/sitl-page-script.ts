/**
 * The SITL page's script (served from the same origin, as the content security policy wants):
 * each change of a FOM, bounds or discussion re-validates the selections (`check`) and lists the
 * findings by severity; "Submit draft" and "Uplink" send them with the confirmations given.
 * Every deadline on the page (`[data-closes]`) counts down each second.
 */
export const SITL_PAGE_SCRIPT = `
(() => {
  const countdowns = [...document.querySelectorAll('[data-closes]')];
  const span = (ms) => {
    const s = Math.floor(ms / 1000);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return (h > 0 ? h + ' h ' : '') + (h > 0 || m > 0 ? m + ' min ' : '') + (s % 60) + ' s';
  };
  const tick = () => {
    for (const el of countdowns) {
      const left = Date.parse(el.dataset.closes) - Date.now();
      el.textContent = left > 0 ? '(closes in ' + span(left) + ')' : '(deadline passed ' + span(-left) + ' ago)';
      el.classList.toggle('bad', left <= 0);
    }
  };
  if (countdowns.length > 0) {
    tick();
    setInterval(tick, 1000);
  }
  const form = document.getElementById('sitl-form');
  if (!form) return;
  const windowId = form.dataset.window;
  const messages = document.getElementById('messages');
  const result = document.getElementById('result');
  const selections = () => [...form.querySelectorAll('tbody tr')].map((row) => ({
    start: Number(row.querySelector('[name=start]').value),
    stop: Number(row.querySelector('[name=stop]').value),
    fom: Number(row.querySelector('[name=fom]').value),
    discussion: row.querySelector('[name=discussion]').value,
  })).filter((s) => s.fom > 0);
  const body = (extra) => JSON.stringify({ selections: selections(), confirm: form.querySelector('[name=confirm]').checked, override: form.querySelector('[name=override]').checked, ...extra });
  const show = (outcome) => {
    messages.replaceChildren(...(outcome.messages || []).map((m) => {
      const li = document.createElement('li');
      li.className = 'finding ' + m.severity;
      li.textContent = (m.severity === 'error' ? 'Error: ' : m.severity === 'confirm' ? 'Warning: ' : 'Super-SITL: ') + m.message;
      return li;
    }));
  };
  const call = async (path, extra) => {
    const res = await fetch('/api/v1/sitl/windows/' + windowId + '/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(extra), credentials: 'same-origin' });
    const outcome = await res.json();
    if (outcome.error) return { result: 3, message: outcome.error.message, messages: [] };
    return outcome;
  };
  let timer;
  const check = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const outcome = await call('check', {});
      show(outcome);
      result.textContent = outcome.message;
      result.dataset.result = String(outcome.result);
    }, 150);
  };
  form.addEventListener('input', check);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const uplink = event.submitter && event.submitter.name === 'uplink';
    const extra = uplink ? { uplink: true, closeTai: Number(form.querySelector('[name=closeTai]').value) } : {};
    const outcome = await call('submissions', extra);
    show(outcome);
    result.textContent = outcome.message;
    result.dataset.result = String(outcome.result);
  });
  check();
})();
`;
