"""Facts of an information request (record / share / publish) and of a query (A1–A4, F1–F2).

Copied from the request (``input``) or from the catalogs in force (``lookup``)
by :mod:`credit_rules.information.facts` and :mod:`credit_rules.information.query`;
every legal test over them — membership of the catalogs, the form and force of
a basis, what a consent covers, the access policy's deny-wins, publication
periods and deadlines — is a cited definition in
``rules/national/gbf-2020-49/information.yaml`` (and the 梧州 layer), so the
trace shows it.  Consent and use facts are given per use: the same consent
record may cover recording but not publication.
"""

from __future__ import annotations

from enum import StrEnum

from ...catalog.kinds.information import CatalogScope, Collection, Purpose, QueryRole, RecipientKind
from ...information.enums import Channel, PublicationTier, Use
from ...model.repair import PenaltyKind
from ..schema import FactSpec, FactType

_B, _I, _E, _S, _D, _SET = FactType.bool, FactType.int, FactType.enum, FactType.str, FactType.date, FactType.set


def _values(e: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in e)


SPECS: list[FactSpec] = [
    # the item and its catalog (49号(一), 梧州(三))
    FactSpec("info.item_id", _S, "the catalog item (or, in a query, item or category) id the request names"),
    FactSpec("info.catalog_items", _SET, "ids of every item of the information catalogs in force here on the date asked"),
    FactSpec("info.category_id", _S, "the category of that item in the catalogs in force (none: no item or category has that id)"),
    FactSpec("info.catalog_scope", _E, "national base catalog or a local supplementary catalog", _values(CatalogScope)),
    FactSpec("info.item_basis_id", _S, "the legal-bases id of the document the catalog item rests on (none: not recorded)"),
    FactSpec("info.supplementary_basis_id", _S, "the legal-bases id of the jurisdiction's basis for its supplementary catalog"),
    FactSpec("info.item_collection", _E, "collected by statute, or only with the subject's authorisation", _values(Collection)),
    FactSpec("info.item_personal", _B, "the catalog item may carry personal information"),
    FactSpec("info.item_shared_with", _SET, "the recipient kinds the catalog item is shared with", _values(RecipientKind)),
    FactSpec("info.item_double_publicity", _B, "administrative licensing or penalty decision (双公示)"),
    FactSpec("info.item_penalty", _B, "the catalog item is an administrative penalty decision (行政处罚法 第四十八条)"),
    FactSpec("info.publication_period_months", _I, "the catalog item's publication period, in months (none: no fixed period recorded)"),
    # whether the catalog data the answers rest on is confirmed (each entry's source.verified, the item's share_verified
    # and publish_verified): read by ``verified_by``, so an answer resting on an unconfirmed flag says so
    FactSpec(
        "info.item_verified",
        _B,
        "the catalog edition, category and item entries the item was found in are confirmed (item not found: every "
        "edition in force here is; none: no catalog in force)",
    ),
    FactSpec("info.item_share_verified", _B, "the catalog item's sharing scope (shared_with) is confirmed (share_verified)"),
    FactSpec("info.item_publish_verified", _B, "the catalog item's 'published' flag is confirmed (publish_verified)"),
    FactSpec("info.publication_period_verified", _B, "the catalog item's publication period is confirmed (true: the catalog fixes none)"),
    FactSpec("info.jurisdiction_chain", _SET, "the request's jurisdiction and every level above it (national, province, city, county codes)"),
    FactSpec("info.personal_details_given", _B, "the item carries personal details (phone, address, bank account)"),
    FactSpec("info.contact_details_given", _B, "the item carries a phone number or an address"),
    FactSpec("info.decision_date", _D, "date of the administrative decision the item records"),
    # outcome of the record question, for share and publish
    FactSpec("record.allowed", _B, "the item may be recorded as public credit information"),
    # the use at hand and the consent (49号(十四), 梧州(二十二))
    FactSpec("use.kind", _E, "what is done with the information: record, share, publish or query", _values(Use)),
    FactSpec("use.purpose", _E, "the purpose of this use", _values(Purpose)),
    FactSpec("consent.given", _B, "the request presents a consent record"),
    FactSpec("consent.uses", _SET, "the uses the consent names", _values(Use)),
    FactSpec("consent.purposes", _SET, "the purposes the person agreed to", _values(Purpose)),
    FactSpec("consent.items", _SET, "the item or category ids the consent covers"),
    FactSpec("consent.obtained_on", _D, "the date the consent was obtained"),
    FactSpec("consent.expires_on", _D, "the date the consent expires (none: no expiry)"),
    FactSpec("consent.has_expiry", _B, "the consent states an expiry date"),
    FactSpec("consent.condition_of_service", _B, "the consent was obtained as a condition of providing a service"),
    # a basis for using or publishing personal information without consent (49号(四))
    FactSpec("personal.basis_id", _S, "the legal-bases id the request gives for using personal information"),
    FactSpec("personal.basis_state_council_decision", _B, "that basis is a decision or order of the State Council itself"),
    FactSpec("personal.basis_jurisdiction", _S, "the region code of the legal-bases catalog that holds that basis ('000000': national)"),
    # sharing (49号(三))
    FactSpec("share.recipient_kind", _E, "kind of recipient", _values(RecipientKind)),
    # publication (49号(四)(五), 梧州(五)(六))
    FactSpec("publish.item_published", _B, "the catalog item may be published"),
    FactSpec("publish.contains_trade_secret", _B, "the information contains trade secrets"),
    FactSpec("publish.published_on", _D, "first day of publication (none: not yet published)"),
    FactSpec("publish.channel", _E, "where it is published", _values(Channel)),
    FactSpec("publish.until", _D, "the last day this channel publishes it"),
    FactSpec("publish.department_until", _D, "for a platform: the last day the determining department publishes it"),
    # what the penalty consisted of (行政处罚法 第九条, 第四十八条; 市场监管总局令第45号 第二条、第十三条)
    FactSpec("penalty.stated", _B, "the request says what the penalty consisted of"),
    FactSpec("penalty.kinds", _SET, "every kind of penalty the decision imposed (行政处罚法 第九条)", _values(PenaltyKind)),
    FactSpec("penalty.by_market_regulator", _B, "imposed by a 市场监督管理部门"),
    FactSpec("penalty.small_fine", _B, "the fine is a 较低数额罚款 under the provincial market regulator's rule (45号 第十三条第二款)"),
    FactSpec("penalty.social_impact", _B, "the deciding body found the penalty 具有一定社会影响 (行政处罚法 第四十八条)"),
    FactSpec("penalty.tier", _E, "tier of the dishonesty information under the sector's classification (国办发〔2025〕22号 二)", _values(PublicationTier)),
    # queries (49号(十三), 梧州(二十一)): the access policy's entries for this role and purpose
    FactSpec("query.role", _E, "role of the person querying", _values(QueryRole)),
    FactSpec("query.purpose", _E, "purpose of the query", _values(Purpose)),
    FactSpec("policy.granted_categories", _SET, "categories the access policy in force grants this role for this purpose ('*': all)"),
    FactSpec("policy.denied_categories", _SET, "categories an entry of the access policy denies this role for this purpose ('*': all)"),
    FactSpec(
        "policy.verified",
        _B,
        "the access-policy entries that decide this item are confirmed: the matching entries naming its category (or '*') "
        "and their policy editions, or, where none matches, every policy edition in force (source.verified)",
    ),
]
