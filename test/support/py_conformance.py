"""STOMP conformance checks with Debian's python3-stomp (a client written by others). Runs one
scenario against a broker and prints what it observed as one JSON line; the TypeScript test asserts.
Run with /usr/bin/python3 (python3-stomp is only visible there).

usage: py_conformance.py <port> <scenario>   scenario: versions | acks | tx | heartbeat | errors | selectors | security
"""
import json
import sys
import threading
import time

import stomp

port, scenario = int(sys.argv[1]), sys.argv[2]
HOST = [('127.0.0.1', port)]


class Recorder(stomp.ConnectionListener):
    def __init__(self):
        self.connected = None
        self.messages = []
        self.errors = []
        self.receipts = []
        self.disconnected = False
        self.changed = threading.Condition()

    def _add(self, kind, frame):
        with self.changed:
            getattr(self, kind).append(frame)
            self.changed.notify_all()

    def on_connected(self, frame):
        with self.changed:
            self.connected = frame
            self.changed.notify_all()

    def on_message(self, frame):
        self._add('messages', frame)

    def on_error(self, frame):
        self._add('errors', frame)

    def on_receipt(self, frame):
        self._add('receipts', frame)

    def on_disconnected(self):
        self.disconnected = True

    def wait(self, kind, n, timeout=5.0):
        with self.changed:
            self.changed.wait_for(lambda: len(getattr(self, kind)) >= n, timeout)
        return getattr(self, kind)

    def wait_receipt(self, receipt_id, timeout=5.0):
        with self.changed:
            self.changed.wait_for(lambda: any(r.headers.get('receipt-id') == receipt_id for r in self.receipts), timeout)
        return any(r.headers.get('receipt-id') == receipt_id for r in self.receipts)


def open_connection(cls=stomp.Connection12, client_id=None, login=None, passcode=None, **kwargs):
    conn = cls(HOST, **kwargs)
    recorder = Recorder()
    conn.set_listener('recorder', recorder)
    headers = {'client-id': client_id} if client_id else {}
    conn.connect(login, passcode, wait=True, headers=headers)
    # connect(wait=True) may return before every listener saw CONNECTED.
    with recorder.changed:
        recorder.changed.wait_for(lambda: recorder.connected is not None, 5.0)
    return conn, recorder


counter = [0]


def send(conn, recorder, destination, body, **headers):
    """A receipted SEND: returns once the broker answered it."""
    counter[0] += 1
    receipt = 'py-%d' % counter[0]
    conn.send(destination, body, headers=dict(headers, receipt=receipt))
    return recorder.wait_receipt(receipt)


def subscribe(conn, recorder, destination, sub_id, ack='auto', **headers):
    counter[0] += 1
    receipt = 'py-sub-%d' % counter[0]
    conn.subscribe(destination, sub_id, ack=ack, headers=dict(headers, receipt=receipt))
    return recorder.wait_receipt(receipt)


def versions():
    out = {}
    for name, cls in (('1.0', stomp.Connection10), ('1.1', stomp.Connection11), ('1.2', stomp.Connection12)):
        conn, rec = open_connection(cls)
        queue = '/queue/conf.py.v' + name
        if name == '1.0':
            conn.subscribe(queue, ack='auto', headers={'receipt': 'sub10'})
            rec.wait_receipt('sub10')
        else:
            subscribe(conn, rec, queue, 'v', ack='auto')
        send(conn, rec, queue, 'hello ' + name, persistent='true', **{'x-note': 'a:b'})
        got = rec.wait('messages', 1)
        out[name] = {
            'version': rec.connected.headers.get('version') if rec.connected else None,
            'body': got[0].body if got else None,
            'note': got[0].headers.get('x-note') if got else None,
            'subscription': got[0].headers.get('subscription') if got else None,
        }
        conn.disconnect()
    return out


def acks():
    out = {}
    # client-individual (1.2: ACK/NACK by the MESSAGE `ack` id)
    conn, rec = open_connection()
    subscribe(conn, rec, '/queue/conf.py.individual', 'i', ack='client-individual')
    for body in ('i1', 'i2', 'i3'):
        send(conn, rec, '/queue/conf.py.individual', body, persistent='true')
    got = rec.wait('messages', 3)
    out['ack_is_opaque'] = all(m.headers.get('ack') and m.headers.get('ack') != m.headers.get('message-id') for m in got)
    for m in got:
        if m.body == 'i1':
            conn.ack(m.headers['ack'])
        elif m.body == 'i3':
            conn.nack(m.headers['ack'])
    send(conn, rec, '/queue/conf.py.sync', 'sync')
    conn.disconnect()
    conn, rec = open_connection()
    subscribe(conn, rec, '/queue/conf.py.individual', 'i', ack='client-individual')
    subscribe(conn, rec, '/queue/ActiveMQ.DLQ', 'dlq', ack='auto')
    again = rec.wait('messages', 2)
    time.sleep(0.1)
    out['individual_after_reconnect'] = sorted((m.body, m.headers.get('redelivered')) for m in rec.messages if m.headers.get('subscription') == 'i')
    out['dlq'] = [(m.body, m.headers.get('original-destination')) for m in again if m.headers.get('subscription') == 'dlq']
    for m in rec.messages:
        if m.headers.get('subscription') == 'i':
            conn.ack(m.headers['ack'])
    send(conn, rec, '/queue/conf.py.sync', 'sync')
    conn.disconnect()
    # client (1.1: cumulative ACK by message-id + subscription)
    conn, rec = open_connection(stomp.Connection11)
    subscribe(conn, rec, '/queue/conf.py.client', 'c', ack='client')
    for body in ('c1', 'c2', 'c3'):
        send(conn, rec, '/queue/conf.py.client', body, persistent='true')
    got = rec.wait('messages', 3)
    second = [m for m in got if m.body == 'c2'][0]
    conn.ack(second.headers['message-id'], 'c')
    send(conn, rec, '/queue/conf.py.sync', 'sync')
    conn.disconnect()
    conn, rec = open_connection(stomp.Connection11)
    subscribe(conn, rec, '/queue/conf.py.client', 'c', ack='client')
    rec.wait('messages', 1)
    time.sleep(0.1)
    out['client_after_reconnect'] = [m.body for m in rec.messages]
    conn.disconnect()
    # auto on a topic: two subscribers both get it
    a, ra = open_connection()
    b, rb = open_connection()
    subscribe(a, ra, '/topic/conf.py.news', 'ta')
    subscribe(b, rb, '/topic/conf.py.news', 'tb')
    send(a, ra, '/topic/conf.py.news', 'extra')
    out['topic'] = [m.body for m in ra.wait('messages', 1)] + [m.body for m in rb.wait('messages', 1)]
    a.disconnect()
    b.disconnect()
    return out


def tx():
    conn, rec = open_connection()
    subscribe(conn, rec, '/queue/conf.py.tx', 't', ack='client-individual')
    committed = conn.begin()
    conn.send('/queue/conf.py.tx', 'kept-1', headers={'transaction': committed, 'persistent': 'true'})
    conn.send('/queue/conf.py.tx', 'kept-2', headers={'transaction': committed, 'persistent': 'true'})
    aborted = conn.begin()
    conn.send('/queue/conf.py.tx', 'dropped', headers={'transaction': aborted, 'persistent': 'true'})
    send(conn, rec, '/queue/conf.py.sync', 'sync')
    before_commit = [m.body for m in rec.messages]
    conn.abort(aborted)
    conn.commit(committed)
    got = rec.wait('messages', 2)
    # ACKs inside a committed transaction take effect on COMMIT
    acks = conn.begin()
    for m in got:
        conn.ack(m.headers['ack'], transaction=acks)
    conn.commit(acks)
    send(conn, rec, '/queue/conf.py.sync', 'sync')
    conn.disconnect()
    conn, rec = open_connection()
    subscribe(conn, rec, '/queue/conf.py.tx', 't', ack='client-individual')
    time.sleep(0.2)
    left = [m.body for m in rec.messages]
    conn.disconnect()
    return {'before_commit': before_commit, 'after_commit': [m.body for m in got], 'left_after_acked_commit': left}


def heartbeat():
    conn, rec = open_connection(stomp.Connection12, heartbeats=(100, 100))
    negotiated = rec.connected.headers.get('heart-beat')
    time.sleep(0.8)
    alive = conn.is_connected() and not rec.disconnected
    ok = send(conn, rec, '/queue/conf.py.hb', 'alive')
    conn.disconnect()
    # A client that promised beats and then stays silent is dropped by the broker.
    return {'negotiated': negotiated, 'alive': alive, 'receipted': ok}


def selectors():
    """ActiveMQ's STOMP translator converts strings in every STOMP selector: `size > 2` selects a
    message whose header is `size:3` (a string on the wire)."""
    conn, rec = open_connection()
    queue = '/queue/conf.py.sel'
    subscribe(conn, rec, queue, 'big', selector='size > 2')
    for size in ('1', '3', 'cheap', '12', '2.5'):
        send(conn, rec, queue, 'size ' + size, size=size)
    other, orec = open_connection()
    subscribe(other, orec, queue, 'rest')
    rest = orec.wait('messages', 3)
    big = rec.wait('messages', 2)
    out = {'selected': sorted(m.body for m in big), 'rest': sorted(m.body for m in rest)}
    conn.disconnect()
    other.disconnect()
    return out


def security():
    """The users and rights of test/integration/stomp-security.test.ts: admin creates SEC.orders,
    app (write, no admin) may send to it but not create SEC.new, reader may not send."""
    admin, arec = open_connection(login='admin', passcode='secret')
    created = send(admin, arec, '/queue/SEC.orders', 'by admin', persistent='true')
    app, rec = open_connection(login='app', passcode='pw')
    sent = send(app, rec, '/queue/SEC.orders', 'by app', persistent='true')
    app.send('/queue/SEC.new', 'x', headers={'receipt': 'refused'})
    refusal = rec.wait('errors', 1)
    still_usable = send(app, rec, '/queue/SEC.orders', 'by app again', persistent='true')
    reader, rrec = open_connection(login='reader', passcode='pw')
    reader.send('/queue/SEC.orders', 'x', headers={'receipt': 'refused'})
    reader_refusal = rrec.wait('errors', 1)
    for conn in (admin, app, reader):
        conn.disconnect()
    return {
        'created': created,
        'sent': sent,
        'refusal': refusal[0].headers.get('message') if refusal else None,
        'still_usable': still_usable,
        'reader_refusal': reader_refusal[0].headers.get('message') if reader_refusal else None,
    }


def errors():
    conn, rec = open_connection()
    conn.send('/queue/conf.py.err', 'x', headers={'transaction': 'missing', 'receipt': 'bad'})
    errs = rec.wait('errors', 1)
    still_usable = send(conn, rec, '/queue/conf.py.err', 'fine')
    conn.disconnect()
    bad = stomp.Connection12(HOST)
    brec = Recorder()
    bad.set_listener('recorder', brec)
    bad.connect(wait=True)
    bad.transport.transmit(stomp.utils.Frame('BOGUS', {}, None))
    fatal = brec.wait('errors', 1)
    deadline = time.time() + 3
    while not brec.disconnected and time.time() < deadline:
        time.sleep(0.02)
    return {
        'message': errs[0].headers.get('message') if errs else None,
        'receipt_id': errs[0].headers.get('receipt-id') if errs else None,
        'still_usable': still_usable,
        'fatal_message': fatal[0].headers.get('message') if fatal else None,
        'fatal_closed': brec.disconnected,
    }


print(json.dumps({'versions': versions, 'acks': acks, 'tx': tx, 'heartbeat': heartbeat, 'errors': errors, 'selectors': selectors, 'security': security}[scenario]()))
