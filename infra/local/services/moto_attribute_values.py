"""DynamoDB attribute values serialized directly, not through moto's generic serializer.

moto 5.2 turns every response into JSON by walking botocore's shape of the operation, and for
each member of each structure it tries several spellings of the member's name on the Python
object. A DynamoDB attribute value is a structure of ten members (S, N, B, SS, NS, BS, M, L,
NULL, BOOL), so every attribute of every item costs ten such lookups, and every nested one
ten more. Under the local system's load that was most of moto's time outside transactions:
about 3 ms of a 4 ms GetItem and 12 ms of a 14 ms GetRecords page of a few stream records.

moto hands the serializer each attribute value as a dict of one key, the type, whose value is
a string, a bool, a list of strings, bytes or a list of bytes for binary types, or nested
attribute values for M and L. A value of that form is written as it is, its binary parts
base64-encoded as moto's serializer encodes them. Anything else (another form, a missing value,
any other shape, any other service) goes through moto's serializer as before.
test/integration/moto-dynamodb.smoke.test.ts reads every attribute type back through the real
SDK, and runs test/support/moto_attribute_values_check.py, which serializes each answer of a
dozen operations both ways and requires the same JSON. One known difference, in moto's
disfavour: its serializer drops the name of a nested map's attribute named "" and so returns
a map the SDK cannot read; written directly, the name stays.

Written against moto 5.2.1 (`moto.core.serialize`), like the rest of the launcher.
"""

from typing import Any

from moto.core.serialize import BaseJSONSerializer

# The services whose `AttributeValue` shape is DynamoDB's (botocore's service names).
_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})
_SCALARS = frozenset({"S", "N", "BOOL", "NULL"})
_STRING_SETS = frozenset({"SS", "NS"})


class _NotWireForm(Exception):
    """The value is not a plain attribute value: moto's serializer handles it."""


def wire_form(serializer: BaseJSONSerializer, value: Any) -> dict[str, Any]:
    """The JSON of one attribute value, as moto's serializer would write it."""
    if not isinstance(value, dict) or len(value) != 1:
        raise _NotWireForm()
    ((kind, inner),) = value.items()
    if inner is None:
        raise _NotWireForm()
    if kind in _SCALARS:
        return {kind: inner}
    if kind in _STRING_SETS:
        return {kind: list(inner)}
    if kind == "B":
        return {kind: serializer._base64(inner)}
    if kind == "BS":
        return {kind: [serializer._base64(item) for item in inner]}
    if kind == "M" and isinstance(inner, dict):
        return {kind: {name: wire_form(serializer, item) for name, item in inner.items()}}
    if kind == "L" and isinstance(inner, list):
        return {kind: [wire_form(serializer, item) for item in inner]}
    raise _NotWireForm()


_moto_serialize_structure = BaseJSONSerializer._serialize_type_structure


def _serialize_structure(self, serialized, value, shape, key):
    if (
        key
        and shape.name == "AttributeValue"
        and self.operation_model.service_model.service_name in _SERVICES
    ):
        try:
            self._default_serialize(serialized, wire_form(self, value), shape, key)
            return
        except _NotWireForm:
            pass
    _moto_serialize_structure(self, serialized, value, shape, key)


def install() -> None:
    """Serialize DynamoDB attribute values directly from now on."""
    BaseJSONSerializer._serialize_type_structure = _serialize_structure


def uninstall() -> None:
    """moto's own serializer again (for comparing the two)."""
    BaseJSONSerializer._serialize_type_structure = _moto_serialize_structure
