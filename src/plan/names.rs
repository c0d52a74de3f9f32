//! What a plan carries of its problem for reports: the unit labels and the display names.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::problem::Problem;

/// Display names (`name:` in the problem file) by id, for reports; ids without a name are left
/// out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Names {
    /// Parks.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub parks: IndexMap<String, String>,
    /// Chains.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub chains: IndexMap<String, String>,
    /// Zones.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub zones: IndexMap<String, String>,
    /// Materials.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub materials: IndexMap<String, String>,
    /// Resources.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub resources: IndexMap<String, String>,
}

impl Names {
    /// The display names a problem gives.
    pub fn of(p: &Problem) -> Names {
        fn named<V>(
            map: &IndexMap<String, V>,
            name: impl Fn(&V) -> Option<&String>,
        ) -> IndexMap<String, String> {
            map.iter()
                .filter_map(|(id, v)| Some((id.clone(), name(v)?.clone())))
                .collect()
        }
        Names {
            parks: named(&p.parks, |v| v.name.as_ref()),
            chains: named(&p.chains, |v| v.name.as_ref()),
            zones: named(&p.zones, |v| v.name.as_ref()),
            materials: named(&p.materials, |v| v.name.as_ref()),
            resources: named(&p.resources, |v| v.name.as_ref()),
        }
    }

    /// Whether no id has a name.
    pub fn is_empty(&self) -> bool {
        self.parks.is_empty()
            && self.chains.is_empty()
            && self.zones.is_empty()
            && self.materials.is_empty()
            && self.resources.is_empty()
    }
}

/// A problem's unit labels as a plan carries them: the file's `units`, each resource's own `unit`
/// in place of the file's entry for it.
pub fn units_of(p: &Problem) -> IndexMap<String, String> {
    let mut units = p.units.clone();
    for (id, r) in &p.resources {
        if let Some(u) = &r.unit {
            units.insert(id.clone(), u.clone());
        }
    }
    units
}
