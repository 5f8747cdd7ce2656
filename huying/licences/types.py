"""The common e-licence types (电子证照类型) a deployment starts with, as plain data.

A type code (GB/T 36904 证照类型代码) is the defining authority's 18-character 统一社会信用代码
followed by a 3-digit sequence. ``11100000000013338W011`` is a real type code of 住房和城乡建设部
(GB/T 36904-2018 type code: definer's credit code + sequence); the other definers' credit codes here are valid-format placeholders, to be
replaced by the national licence catalogue a deployment imports. The catalogue (huying.catalogue)
refers to these codes in ``Material.licence_type_code`` and ``ServiceItem.result_licence_type_code``.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "111"  # 持证主体代码类型: 公民身份号码 (GB/T 36903)
ENTERPRISE = "001"  # 统一社会信用代码


@dataclass(frozen=True)
class LicenceTypeSpec:
    code: str
    name: str
    holder_kind: str  # PERSON or ENTERPRISE
    definer: str
    valid_years: int | None  # None: no expiry


ID_CARD = "11100000000013127D001"
HOUSEHOLD_REGISTER = "11100000000013127D002"
MARRIAGE_CERTIFICATE = "11100000000012875W001"
BUSINESS_LICENCE = "11100000MB0153120E001"
FOOD_BUSINESS_LICENCE = "11100000MB0153120E002"
REAL_ESTATE_CERTIFICATE = "11100000000019378C001"
SOCIAL_SECURITY_CARD = "11100000000014062K001"
CONSTRUCTION_PERMIT = "11100000000013338W011"
# Added later (existing codes never change):
DRIVING_LICENCE = "11100000000013127D003"
BIRTH_CERTIFICATE = "11100000MB0159710T001"
DISABILITY_CERTIFICATE = "1110000050000856XH001"
ROAD_TRANSPORT_PERMIT = "111000000000193261001"
DRUG_BUSINESS_LICENCE = "11100000MB0197300K001"
POLLUTANT_DISCHARGE_PERMIT = "11100000000017806W001"

COMMON_TYPES: tuple[LicenceTypeSpec, ...] = (
    LicenceTypeSpec(ID_CARD, "居民身份证", PERSON, "公安部", 20),
    LicenceTypeSpec(HOUSEHOLD_REGISTER, "居民户口簿", PERSON, "公安部", None),
    LicenceTypeSpec(MARRIAGE_CERTIFICATE, "结婚证", PERSON, "民政部", None),
    LicenceTypeSpec(BUSINESS_LICENCE, "营业执照", ENTERPRISE, "国家市场监督管理总局", None),
    LicenceTypeSpec(FOOD_BUSINESS_LICENCE, "食品经营许可证", ENTERPRISE, "国家市场监督管理总局", 5),
    LicenceTypeSpec(REAL_ESTATE_CERTIFICATE, "不动产权证书", PERSON, "自然资源部", None),
    LicenceTypeSpec(SOCIAL_SECURITY_CARD, "社会保障卡", PERSON, "人力资源和社会保障部", 10),
    LicenceTypeSpec(CONSTRUCTION_PERMIT, "建筑工程施工许可证", ENTERPRISE, "住房和城乡建设部", None),
    LicenceTypeSpec(DRIVING_LICENCE, "机动车驾驶证", PERSON, "公安部", 6),
    LicenceTypeSpec(BIRTH_CERTIFICATE, "出生医学证明", PERSON, "国家卫生健康委员会", None),
    LicenceTypeSpec(DISABILITY_CERTIFICATE, "残疾人证", PERSON, "中国残疾人联合会", 10),
    LicenceTypeSpec(ROAD_TRANSPORT_PERMIT, "道路运输经营许可证", ENTERPRISE, "交通运输部", 4),
    LicenceTypeSpec(DRUG_BUSINESS_LICENCE, "药品经营许可证", ENTERPRISE, "国家药品监督管理局", 5),
    LicenceTypeSpec(POLLUTANT_DISCHARGE_PERMIT, "排污许可证", ENTERPRISE, "生态环境部", 5),
)
