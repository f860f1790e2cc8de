"""Compares moto's answers with and without infra/local/services/moto_attribute_values.py.

Runs moto in process (`mock_aws`, boto3 as the client) with the direct serializer installed,
writes an item holding every DynamoDB attribute type, and reads it through each operation that
returns items (with projections, returned values, a paged scan, PartiQL) and through the
table's stream. Every answer moto serializes is serialized twice, once by moto's own
serializer and once with the direct one, and the two JSON bodies compared byte for byte.
Prints one JSON object: the operations compared, those whose bodies differ, whether GetItem
returned the item as written, and how many attribute values were written directly.
test/integration/moto-dynamodb.smoke.test.ts runs it with the project's Python
(.local/python) and asserts on what it prints.
"""

import json
import sys
from pathlib import Path

import boto3
from moto import mock_aws
from moto.core.responses import ActionResult

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "infra" / "local" / "services"))
import moto_attribute_values  # noqa: E402

KEY = {"pk": {"S": "ORDER#1"}, "sk": {"S": "STATE"}}
EVERY_TYPE = {
    "text": {"S": "zürich ✓"},
    "empty_text": {"S": ""},
    "amount": {"N": "-12345678901234567890.125"},
    "blob": {"B": b"\x00\xffbinary"},
    "tags": {"SS": ["a", "b"]},
    "counts": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"\x01", b"\x02\x03"]},
    "flag": {"BOOL": False},
    "nothing": {"NULL": True},
    "empty_map": {"M": {}},
    "empty_list": {"L": []},
    "nested": {
        "M": {
            "text": {"S": "inner"},
            "amount": {"N": "7"},
            "blob": {"B": b"\x10"},
            "tags": {"SS": ["x"]},
            "flag": {"BOOL": True},
            "nothing": {"NULL": True},
            "list": {"L": [{"S": "one"}, {"N": "2"}, {"M": {"deep": {"B": b"\x20"}}}]},
        }
    },
}
ITEM = {**KEY, **EVERY_TYPE}


def read_item_every_way() -> tuple[dict, int]:
    """Writes ITEM on a fresh in-process moto and reads it through every operation that
    returns items; GetItem's answer and the number of stream records read."""
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        streams = boto3.client("dynamodbstreams", region_name="us-east-1")
        table = dynamodb.create_table(
            TableName="check",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        dynamodb.put_item(TableName="check", Item=ITEM)
        get_item = dynamodb.get_item(TableName="check", Key=KEY)["Item"]
        dynamodb.update_item(
            TableName="check",
            Key=KEY,
            UpdateExpression="SET #v = :v",
            ExpressionAttributeNames={"#v": "version"},
            ExpressionAttributeValues={":v": {"N": "2"}},
            ReturnValues="ALL_OLD",
        )
        stream_arn = table["TableDescription"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = streams.get_records(ShardIterator=iterator)["Records"]
        dynamodb.query(
            TableName="check",
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": KEY["pk"]},
        )
        dynamodb.scan(TableName="check", Limit=1)  # its LastEvaluatedKey is attribute values too
        dynamodb.get_item(
            TableName="check",
            Key=KEY,
            ProjectionExpression="nested.list[2], nested.blob, blobs, amount",
        )
        dynamodb.execute_statement(Statement='SELECT * FROM "check"')
        dynamodb.update_item(
            TableName="check",
            Key=KEY,
            UpdateExpression="SET nested.more = :m ADD counts :n",
            ExpressionAttributeValues={":m": {"L": [{"B": b"\x30"}]}, ":n": {"NS": ["9"]}},
            ReturnValues="ALL_NEW",
        )
        dynamodb.batch_get_item(RequestItems={"check": {"Keys": [KEY]}})
        dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": "check", "Key": KEY}}])
        return get_item, len(records)


direct = {"values": 0}
_wire_form = moto_attribute_values.wire_form


def counted_wire_form(serializer, value):
    written = _wire_form(serializer, value)
    direct["values"] += 1  # only a value written directly, not one handed back to moto
    return written


moto_attribute_values.wire_form = counted_wire_form
compared = set()
differ = set()
_execute_result = ActionResult.execute_result


def execute_both_ways(self, context):
    """moto's own body, then the direct one; answers with the direct one."""
    moto_attribute_values.uninstall()
    moto_body = _execute_result(self, context)[2]
    moto_attribute_values.install()
    answer = _execute_result(self, context)
    compared.add(context.operation_model.name)
    if answer[2] != moto_body:
        differ.add(context.operation_model.name)
    return answer


ActionResult.execute_result = execute_both_ways
moto_attribute_values.install()
get_item, stream_records = read_item_every_way()
print(
    json.dumps(
        {
            "compared": sorted(compared),
            "differ": sorted(differ),
            "get_item_as_written": get_item == ITEM,
            "stream_records": stream_records,
            "direct_values": direct["values"],
        }
    )
)
