// Playground: a streamed chat request through any model group, with a key typed in for this
// request only (held in memory, never stored), as an application would send it.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { Notice } from '../widgets.jsx';

export function Playground() {
  const [groups, setGroups] = useState([]);
  const [model, setModel] = useState('');
  const [key, setKey] = useState('');
  const [prompt, setPrompt] = useState('Say hello in five words.');
  const [answer, setAnswer] = useState('');
  const [meta, setMeta] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get('/model_group/info').then((r) => {
      const names = r.data.map((g) => g.model_group);
      setGroups(names);
      setModel((m) => m || names[0] || '');
    }).catch(setError);
  }, []);
  const send = async (e) => {
    e.preventDefault();
    setBusy(true); setError(null); setAnswer(''); setMeta(null);
    const started = performance.now();
    try {
      const r = await fetch('/v1/chat/completions', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: prompt }] }),
      });
      if (!r.ok) {
        const body = await r.json().catch(() => null);
        throw new Error(body?.error?.message ?? `HTTP ${r.status}`);
      }
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let text = '';
      let first = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 2);
          const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
          if (!data || data === '[DONE]') continue;
          const chunk = JSON.parse(data);
          const delta = chunk.choices?.[0]?.delta?.content;
          if (delta) {
            first ??= performance.now() - started;
            text += delta;
            setAnswer(text);
          }
          if (chunk.usage) setMeta({ usage: chunk.usage, ttft: first, id: r.headers.get('x-request-id') });
        }
      }
      setMeta((m) => ({ ...(m ?? {}), total: performance.now() - started, ttft: first }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>Playground</h1>
      <form class="form-grid" onSubmit={send}>
        <div class="field"><label for="pg-model">Model group</label>
          <select id="pg-model" value={model} onChange={(e) => setModel(e.currentTarget.value)}>
            {groups.map((g) => <option value={g}>{g}</option>)}
          </select></div>
        <div class="field"><label for="pg-key">Key to call with</label>
          <input id="pg-key" type="password" autocomplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          <small>A virtual key (or the master key); sent with this request only, never stored.</small></div>
        <div class="field wide"><label for="pg-prompt">Message</label>
          <textarea id="pg-prompt" rows={4} value={prompt} onInput={(e) => setPrompt(e.currentTarget.value)} /></div>
        <div class="actions"><button class="primary" type="submit" disabled={busy || !model}>Send</button></div>
      </form>
      <Notice error={error} />
      <section class="card" aria-live="polite">
        <h2>Answer</h2>
        <p class="answer" data-testid="playground-answer">{answer || (busy ? '…' : '')}</p>
        {meta && <p class="muted">{meta.usage && `${meta.usage.prompt_tokens} → ${meta.usage.completion_tokens} tokens; `}
          {meta.ttft !== null && meta.ttft !== undefined && `first token ${Math.round(meta.ttft)} ms; `}
          {meta.total && `total ${Math.round(meta.total)} ms`}</p>}
      </section>
    </>
  );
}
