"""Consumes a queue with Debian's python3-stomp (a STOMP client written by others) and prints the
bodies it received as one JSON line. Run with /usr/bin/python3 (python3-stomp is only visible there).

usage: py_consume.py <port> <destination> <expected-count> <idle-timeout-seconds>
"""
import json
import sys
import threading
import time

import stomp

port, destination, expected, idle = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
received = []
redelivered = 0
last = [time.time()]
done = threading.Event()


class Listener(stomp.ConnectionListener):
    def on_message(self, frame):
        global redelivered
        received.append(frame.body)
        if frame.headers.get('redelivered') == 'true':
            redelivered += 1
        conn.ack(frame.headers['ack'])
        last[0] = time.time()
        if len(received) >= expected:
            done.set()


conn = stomp.Connection12([('127.0.0.1', port)], heartbeats=(0, 0))
conn.set_listener('consumer', Listener())
conn.connect(wait=True)
conn.subscribe(destination=destination, id='py-1', ack='client-individual')
while not done.is_set() and time.time() - last[0] < idle:
    done.wait(0.05)
time.sleep(0.2)  # give a duplicate the chance to show up
conn.disconnect()
print(json.dumps({'received': received, 'redelivered': redelivered}))
