"""moto server with DynamoDB transactions that are atomic, as DynamoDB's are.

moto 5's TransactWriteItems deep-copies every table a transaction touches and, when the
transaction is cancelled (for the read model, every duplicate event is), replaces the live
table with that copy. Two things follow, both seen here:

- served on threads, a cancelled transaction undoes writes that other requests committed
  meanwhile (lost updates);
- the replaced table takes its DynamoDB stream with it: shard iterators already handed out
  keep reading the old, dead stream (the relay stops seeing new outbox items), and each one
  pins a whole copy of the table in memory (moto grew to many GB in minutes).

So this launcher (1) serves one request at a time (moto's work holds Python's GIL anyway, so
threads bought no throughput; nothing used locally long-polls), and (2) keeps the live table
and undoes a cancelled transaction item by item: it remembers the items the transaction
names and the stream's length, and on failure puts those items back and drops the stream
records the transaction added. The whole-table copy becomes unnecessary and is skipped.

It also (3) serializes DynamoDB attribute values directly (moto_attribute_values.py says why):
the same answers, several times faster.

Usage: python3 moto_atomic.py -H 127.0.0.1 -p 4566   (the options of moto_server)
"""

import copy
import sys

import moto.server
import moto_attribute_values
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from werkzeug import serving

_in_transaction = False


def _table_deepcopy(self, memo):
    # Inside a transaction the undo log below replaces moto's whole-table backup.
    if _in_transaction:
        return self
    return copy._reconstruct(self, memo, *self.__reduce_ex__(4))


def _item_key(table, op):
    attrs = op.get("Item") or op.get("Key") or {}
    try:
        hash_value = DynamoType(attrs[table.hash_key_attr])
        range_value = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
    except KeyError:
        return None  # moto rejects the request itself
    return hash_value, range_value


def _restore(table, hash_value, range_value, previous):
    if range_value is None:
        if previous is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = previous
    elif previous is None:
        table.items.get(hash_value, {}).pop(range_value, None)
    else:
        table.items[hash_value][range_value] = previous


_moto_transact_write_items = DynamoDBBackend.transact_write_items


def _transact_write_items(self, transact_items):
    global _in_transaction
    undo = []
    stream_lengths = {}
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table = self.tables.get(op.get("TableName"))
        if table is None:
            continue
        if table.stream_shard is not None and id(table) not in stream_lengths:
            stream_lengths[id(table)] = (table, len(table.stream_shard.items))
        key = _item_key(table, op)
        if key is None:
            continue
        try:
            previous = table.get_item(*key)
        except Exception:
            continue  # an invalid key: moto refuses the transaction itself
        undo.append((table, *key, copy.deepcopy(previous)))
    _in_transaction = True
    try:
        return _moto_transact_write_items(self, transact_items)
    except Exception:
        for table, hash_value, range_value, previous in reversed(undo):
            _restore(table, hash_value, range_value, previous)
        for table, length in stream_lengths.values():
            del table.stream_shard.items[length:]
        raise
    finally:
        _in_transaction = False


def _serial_run_simple(*args, **kwargs):
    kwargs["threaded"] = False
    return serving.run_simple(*args, **kwargs)


Table.__deepcopy__ = _table_deepcopy
DynamoDBBackend.transact_write_items = _transact_write_items
moto.server.run_simple = _serial_run_simple
moto_attribute_values.install()
moto.server.main(sys.argv[1:])
