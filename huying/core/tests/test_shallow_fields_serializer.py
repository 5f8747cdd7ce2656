"""core.drf.ShallowFieldsSerializer: per-instance fields without DRF's deep copy, still independent."""

from __future__ import annotations

from rest_framework import serializers

from huying.core.drf import ShallowFieldsSerializer


class Inner(serializers.Serializer):
    code = serializers.CharField()


class Sample(ShallowFieldsSerializer):
    name = serializers.CharField(max_length=5)
    kind = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")], default="a")
    tags = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    inner = Inner(required=False)


def test_each_instance_gets_its_own_bound_fields() -> None:
    one, two = Sample(data={}), Sample(data={})
    declared = Sample._declared_fields  # type: ignore[attr-defined]
    for name in declared:
        assert one.fields[name] is not declared[name]
        assert one.fields[name] is not two.fields[name]
        assert one.fields[name].parent is one and two.fields[name].parent is two
        assert declared[name].parent is None  # the class's own fields stay unbound
    # Fields that hold fields are deep-copied: binding never touches a shared inner field.
    assert one.fields["tags"].child is not two.fields["tags"].child
    assert one.fields["tags"].child.parent is one.fields["tags"]
    assert one.fields["inner"].fields["code"] is not two.fields["inner"].fields["code"]


def test_validation_is_the_same_as_a_plain_serializer() -> None:
    ok = Sample(data={"name": "张三", "tags": ["路灯"], "inner": {"code": "x"}})
    assert ok.is_valid(), ok.errors
    assert ok.validated_data == {"name": "张三", "kind": "a", "tags": ["路灯"], "inner": {"code": "x"}}

    bad = Sample(data={"name": "太长的名字啊", "kind": "c", "tags": ["过长的"] * 1 + ["abcd"]})
    assert not bad.is_valid()
    assert set(bad.errors) == {"name", "kind", "tags"}
    # The first instance's state did not leak into the next one.
    assert Sample(data={"name": "李四"}).is_valid()
