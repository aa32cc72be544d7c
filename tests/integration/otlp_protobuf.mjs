// A small decoder of OTLP/HTTP protobuf trace requests (ExportTraceServiceRequest), written from
// opentelemetry-proto's field numbers, that turns a request into the same shape as its OTLP JSON
// form (hex ids, 64-bit integers as strings), so one test checks both encodings.

function* fields(buf) {
  let i = 0;
  const varint = () => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      if (shift > 63n) throw new Error('varint too long');
    }
  };
  while (i < buf.length) {
    const tag = Number(varint());
    const number = tag >> 3;
    const type = tag & 7;
    if (type === 0) {
      yield { number, type, value: varint() };
    } else if (type === 1) {
      if (i + 8 > buf.length) throw new Error('truncated fixed64');
      yield { number, type, value: buf.subarray(i, i + 8) };
      i += 8;
    } else if (type === 2) {
      const len = Number(varint());
      if (i + len > buf.length) throw new Error('length past the end');
      yield { number, type, value: buf.subarray(i, i + len) };
      i += len;
    } else if (type === 5) {
      yield { number, type, value: buf.subarray(i, i + 4) };
      i += 4;
    } else {
      throw new Error(`unexpected wire type ${type}`);
    }
  }
}

const text = (b) => Buffer.from(b).toString('utf8');
const hex = (b) => Buffer.from(b).toString('hex');
const fixed64 = (b) => Buffer.from(b).readBigUInt64LE(0);

function anyValue(buf) {
  for (const f of fields(buf)) {
    if (f.number === 1) return { stringValue: text(f.value) };
    if (f.number === 2) return { boolValue: f.value !== 0n };
    if (f.number === 3) return { intValue: BigInt.asIntN(64, f.value).toString() };
    if (f.number === 4) return { doubleValue: Buffer.from(f.value).readDoubleLE(0) };
  }
  return {};
}

function keyValue(buf) {
  const kv = { key: '', value: {} };
  for (const f of fields(buf)) {
    if (f.number === 1) kv.key = text(f.value);
    if (f.number === 2) kv.value = anyValue(f.value);
  }
  return kv;
}

function span(buf) {
  const s = { attributes: [], status: {} };
  for (const f of fields(buf)) {
    switch (f.number) {
      case 1: s.traceId = hex(f.value); break;
      case 2: s.spanId = hex(f.value); break;
      case 4: s.parentSpanId = hex(f.value); break;
      case 5: s.name = text(f.value); break;
      case 6: s.kind = Number(f.value); break;
      case 7: s.startTimeUnixNano = fixed64(f.value).toString(); break;
      case 8: s.endTimeUnixNano = fixed64(f.value).toString(); break;
      case 9: s.attributes.push(keyValue(f.value)); break;
      case 15:
        for (const g of fields(f.value)) if (g.number === 3) s.status.code = Number(g.value);
        break;
      default: break;
    }
  }
  return s;
}

function scopeSpans(buf) {
  const ss = { scope: {}, spans: [] };
  for (const f of fields(buf)) {
    if (f.number === 1) {
      for (const g of fields(f.value)) {
        if (g.number === 1) ss.scope.name = text(g.value);
        if (g.number === 2) ss.scope.version = text(g.value);
      }
    }
    if (f.number === 2) ss.spans.push(span(f.value));
  }
  return ss;
}

function resourceSpans(buf) {
  const rs = { resource: { attributes: [] }, scopeSpans: [] };
  for (const f of fields(buf)) {
    if (f.number === 1) {
      for (const g of fields(f.value)) if (g.number === 1) rs.resource.attributes.push(keyValue(g.value));
    }
    if (f.number === 2) rs.scopeSpans.push(scopeSpans(f.value));
  }
  return rs;
}

export function decodeTraceRequest(buf) {
  const doc = { resourceSpans: [] };
  for (const f of fields(buf)) if (f.number === 1) doc.resourceSpans.push(resourceSpans(f.value));
  return doc;
}
