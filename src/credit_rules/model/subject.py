"""Credit subjects (信用主体) and their identifiers."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from ..identifiers import IdentifierError, UsccInfo, birth_date_of, parse_resident_id, parse_uscc
from .._empty import empty_list


class SubjectKind(StrEnum):
    legal_person = "legal_person"  # 法人
    unincorporated_organisation = "unincorporated_organisation"  # 非法人组织
    individual_business = "individual_business"  # 个体工商户
    natural_person = "natural_person"  # 自然人


class PersonRole(StrEnum):
    """Roles 35号(十二) names for responsible persons of a market subject."""

    legal_representative = "legal_representative"  # 法定代表人
    principal_responsible_person = "principal_responsible_person"  # 主要负责人
    actual_controller = "actual_controller"  # 实际控制人
    directly_responsible_person = "directly_responsible_person"  # 直接责任人员
    relative = "relative"  # 近亲属: never a target (49号(十) relevance)
    other = "other"


def _check_resident_id(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_resident_id(value).number
    except IdentifierError as exc:
        raise ValueError(f"a valid 公民身份号码 (GB 11643): {exc}") from None


class ResponsiblePerson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: PersonRole
    name: str
    resident_id: str | None = None

    @field_validator("resident_id")
    @classmethod
    def _valid_resident_id(cls, value: str | None) -> str | None:
        return _check_resident_id(value)


class Subject(BaseModel):
    """The subject whose act is judged.

    A USCC whose check character does not match is rejected unless
    ``uscc_registry_confirmed`` says registry evidence shows the printed code
    is the registered one (real codes with a wrong check character exist);
    the decision then carries a warning instead of silently accepting it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: SubjectKind
    name: str
    uscc_registry_confirmed: bool = Field(
        False, description="registry evidence shows a USCC whose check character fails is the registered code"
    )
    uscc: str | None = Field(None, description="统一社会信用代码 (GB 32100)")
    resident_id: str | None = Field(None, description="公民身份号码 (GB 11643), natural persons")
    birth_date: date | None = Field(None, description="read from resident_id when absent")
    responsible_persons: list[ResponsiblePerson] = Field(default_factory=empty_list)
    on_red_list: bool = Field(False, description="currently on a red list (红名单)")
    on_serious_list: bool = Field(False, description="currently on a serious dishonesty list (黑名单)")
    lists: list[str] = Field(
        default_factory=empty_list, description="listing standards (ids) the subject is currently listed under"
    )

    @field_validator("resident_id")
    @classmethod
    def _valid_resident_id(cls, value: str | None) -> str | None:
        return _check_resident_id(value)

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        try:
            parsed = parse_uscc(value)
        except IdentifierError as exc:
            raise ValueError(f"a valid 统一社会信用代码 (GB 32100): {exc}") from None
        if not parsed.check_ok and not info.data.get("uscc_registry_confirmed", False):
            raise ValueError(
                f"check character {parsed.code[-1]!r} does not match the GB 32100 check character "
                f"{parsed.expected_check!r}; set uscc_registry_confirmed: true only if registry evidence "
                "shows this code is the registered one"
            )
        return parsed.code

    _uscc_info: UsccInfo | None = PrivateAttr(None)
    """The parsed USCC, kept from validation so that deciding does not parse it again."""

    @model_validator(mode="after")
    def _consistent(self) -> Subject:
        if self.uscc is not None:
            self._uscc_info = parse_uscc(self.uscc)
        if self.resident_id is not None:
            born = birth_date_of(self.resident_id)  # (the field validator has parsed and checked it)
            if self.birth_date is None:
                object.__setattr__(self, "birth_date", born)
            elif self.birth_date != born:
                raise ValueError("birth_date: differs from the birth date in resident_id")
        if self.kind is not SubjectKind.natural_person and self.resident_id is not None:
            raise ValueError("resident_id: only natural persons carry a 公民身份号码; use uscc")
        return self

    @property
    def uscc_info(self) -> UsccInfo | None:
        """The parsed 统一社会信用代码 (parsed once, at validation), or None without one."""
        if self.uscc is None:
            return None
        private = self.__pydantic_private__  # read directly: ``self._uscc_info`` goes through pydantic's __getattr__
        info = private.get("_uscc_info") if private else None
        if info is None or info.code != self.uscc:  # built without validation (model_construct)
            info = parse_uscc(self.uscc)
        return info

    @property
    def uscc_check_mismatch(self) -> bool:
        info = self.uscc_info
        return info is not None and not info.check_ok
