"""moto server, serving one request at a time.

moto's TransactWriteItems snapshots the whole table and restores that snapshot when a
transaction is cancelled, without a lock, while `moto_server` serves requests on threads: a
cancelled transaction can then undo writes another request committed in between. Serving
requests one at a time makes each transaction atomic, as DynamoDB's are. moto's work holds
Python's GIL anyway, so the threads bought no throughput. (No service used locally
long-polls, which a single request at a time could not serve.)

Usage: python3 moto_serial.py -H 127.0.0.1 -p 4566   (the options of moto_server)
"""

import sys

import moto.server
from werkzeug import serving


def serial_run_simple(*args, **kwargs):
    kwargs["threaded"] = False
    return serving.run_simple(*args, **kwargs)


moto.server.run_simple = serial_run_simple
moto.server.main(sys.argv[1:])
