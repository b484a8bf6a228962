//! A JSON object's members, in the file's order.

use std::fmt;

/// A JSON object's members in the file's order, where the order means something (k6's
/// thresholds, TechEmpower's frameworks) and the keys are data rather than field names.
#[derive(Debug)]
pub(super) struct Members<K, V>(pub(super) Vec<(K, V)>);

impl<K, V> Default for Members<K, V> {
    fn default() -> Self {
        Members(Vec::new())
    }
}

impl<'de, K: serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::Deserialize<'de>
    for Members<K, V>
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor<K, V>(std::marker::PhantomData<(K, V)>);

        impl<'de, K: serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::de::Visitor<'de>
            for MembersVisitor<K, V>
        {
            type Value = Members<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }

        deserializer.deserialize_map(MembersVisitor(std::marker::PhantomData))
    }
}
