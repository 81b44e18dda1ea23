//! SCIM PATCH bodies (RFC 7644 section 3.5.2), with Microsoft Entra's legacy shapes made
//! compliant.
//!
//! Microsoft's "Known issues and resolutions with SCIM 2.0 protocol compliance of the
//! Microsoft Entra user provisioning service" page shows what Entra sends without the
//! `aadOptscim062020` flag on the tenant URL, and what it sends with it. The legacy shapes:
//!
//! - `"op": "Replace"`, `"Add"`, `"Remove"`, capitalised (RFC 7644 section 3.5.2 writes them in
//!   lowercase; operation names are case-insensitive in the RFC's own examples' readers, but
//!   compliant servers compare them as written);
//! - booleans as the strings `"True"` and `"False"` (`"path": "active", "value": "False"`);
//! - removing a member with `"path": "members"` and a `value` array of `{"value": id}`, where
//!   RFC 7644 section 3.5.2.2 removes with a filter: `"path": "members[value eq \"id\"]"`;
//! - several attributes replaced as one operation each, where the flagged form sends one
//!   `replace` without `path` and a `value` object.
//!
//! [`normalize_patch`] reads either form and returns one canonical list of operations: lowercase
//! `op`, booleans as booleans, one `remove` per member with a filter path, one operation per
//! attribute. Two bodies mean the same change when their normalised operations are equal.

use serde_json::Value as Json;

use super::json::{Node, Value};
use super::{File, ImportError, Locator, shape_error};

/// A PATCH operation's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatchOp {
    /// `add`.
    Add,
    /// `remove`.
    Remove,
    /// `replace`.
    Replace,
}

/// One normalised PATCH operation.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    /// What it does.
    pub op: PatchOp,
    /// The attribute path (RFC 7644 section 3.5.2), with a value filter for one member:
    /// `members[value eq "2819c223"]`.
    pub path: Option<String>,
    /// The value; `None` for a `remove`.
    pub value: Option<Json>,
}

/// The attributes of the SCIM core schemas whose values are booleans (RFC 7643 sections 4.1.1
/// and 2.4): only these take `"True"`/`"False"` as booleans, so a `nickName` of `"False"` stays
/// a string.
const BOOLEAN_ATTRIBUTES: [&str; 2] = ["active", "primary"];

/// Read a SCIM PATCH request body (`name` is used in error locations) and return its
/// operations in the compliant form described in the module documentation. A body that is not
/// strict JSON, or not a PATCH (no `Operations` array, an unknown `op`), is an error with its
/// place.
pub fn normalize_patch(name: &str, body: &str) -> Result<Vec<PatchOperation>, ImportError> {
    let file = File { name, text: body };
    let root = file.json()?;
    let mut locator = Locator::new(name, body);
    let operations = match &root.value {
        Value::Object(members) => members
            .iter()
            .find(|m| m.key.eq_ignore_ascii_case("Operations"))
            .map(|m| &m.value),
        _ => None,
    };
    let Some(operations) = operations else {
        return Err(shape_error(
            &mut locator,
            &root,
            "expected a SCIM PATCH body: an object with an `Operations` array",
        ));
    };
    let Some(operations) = operations.as_array() else {
        return Err(shape_error(
            &mut locator,
            operations,
            format!(
                "expected `Operations` to be an array, found {}",
                operations.kind()
            ),
        ));
    };
    let mut out = Vec::new();
    for operation in operations {
        let field = |key: &str| match &operation.value {
            Value::Object(members) => members
                .iter()
                .find(|m| m.key.eq_ignore_ascii_case(key))
                .map(|m| &m.value),
            _ => None,
        };
        let Some(op_node) = field("op") else {
            return Err(shape_error(
                &mut locator,
                operation,
                "expected an `op` in this operation",
            ));
        };
        let op = match op_node.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("add") => PatchOp::Add,
            Some("remove") => PatchOp::Remove,
            Some("replace") => PatchOp::Replace,
            _ => {
                return Err(shape_error(
                    &mut locator,
                    op_node,
                    "expected `op` to be `add`, `remove` or `replace`",
                ));
            }
        };
        let path = match field("path") {
            None => None,
            Some(node) => Some(node.as_str().ok_or_else(|| {
                shape_error(
                    &mut locator,
                    node,
                    format!("expected `path` to be a string, found {}", node.kind()),
                )
            })?),
        };
        let value = field("value")
            .map(|node| to_json(node, &mut locator))
            .transpose()?;
        normalise(op, path, value, &mut out);
    }
    Ok(out)
}

fn normalise(op: PatchOp, path: Option<&str>, value: Option<Json>, out: &mut Vec<PatchOperation>) {
    match (op, path, value) {
        // Legacy member removal: `path: members` with the ids in a `value` array.
        (PatchOp::Remove, Some(path), Some(Json::Array(items)))
            if path.eq_ignore_ascii_case("members")
                && items
                    .iter()
                    .all(|i| i.get("value").and_then(Json::as_str).is_some()) =>
        {
            for item in items {
                let id = item.get("value").and_then(Json::as_str).unwrap_or_default();
                out.push(PatchOperation {
                    op,
                    path: Some(format!("members[value eq {}]", Json::from(id))),
                    value: None,
                });
            }
        }
        // One operation per attribute: a pathless add or replace of an object.
        (PatchOp::Add | PatchOp::Replace, None, Some(Json::Object(attributes))) => {
            for (attribute, value) in attributes {
                let value = booleans(&attribute, value);
                out.push(PatchOperation {
                    op,
                    path: Some(attribute),
                    value: Some(value),
                });
            }
        }
        (op, path, value) => {
            let value = match (path, value) {
                (Some(path), Some(value)) => Some(booleans(path, value)),
                (None, value) => value,
                (Some(_), None) => None,
            };
            out.push(PatchOperation {
                op,
                path: path.map(str::to_string),
                value,
            });
        }
    }
}

/// `"True"`/`"False"` as booleans when `path` ends in a boolean attribute, and inside objects
/// and arrays for their boolean keys.
fn booleans(path: &str, value: Json) -> Json {
    let attribute = path
        .rsplit(['.', ':'])
        .next()
        .unwrap_or(path)
        .trim_end_matches(']');
    let boolean = BOOLEAN_ATTRIBUTES
        .iter()
        .any(|b| b.eq_ignore_ascii_case(attribute));
    match value {
        Json::String(text) if boolean && text.eq_ignore_ascii_case("true") => Json::Bool(true),
        Json::String(text) if boolean && text.eq_ignore_ascii_case("false") => Json::Bool(false),
        Json::Array(items) => Json::Array(items.into_iter().map(|i| booleans("", i)).collect()),
        Json::Object(map) => Json::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = booleans(&k, v);
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

fn to_json(node: &Node<'_>, locator: &mut Locator<'_>) -> Result<Json, ImportError> {
    Ok(match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(text) => Json::Number(text.parse().map_err(|_| {
            shape_error(
                locator,
                node,
                format!("the number `{text}` is out of range"),
            )
        })?),
        Value::String(s) => Json::String(s.to_string()),
        Value::Array(items) => Json::Array(
            items
                .iter()
                .map(|i| to_json(i, locator))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(members) => {
            let mut map = serde_json::Map::new();
            for member in members {
                map.insert(member.key.to_string(), to_json(&member.value, locator)?);
            }
            Json::Object(map)
        }
    })
}
