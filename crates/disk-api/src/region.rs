//! The regions and availability zones the console knows (reference §10).

/// A region with its availability zones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub id: &'static str,
    pub name: &'static str,
    pub azs: &'static [&'static str],
}

pub const REGIONS: &[Region] = &[
    Region {
        id: "cn-north-1",
        name: "North China (Beijing)",
        azs: &["cn-north-1a", "cn-north-1b", "cn-north-1c"],
    },
    Region { id: "cn-east-1", name: "East China (Suqian)", azs: &["cn-east-1a"] },
    Region { id: "cn-east-2", name: "East China (Shanghai)", azs: &["cn-east-2a", "cn-east-2b"] },
    Region { id: "cn-south-1", name: "South China (Guangzhou)", azs: &["cn-south-1a"] },
];

pub const DEFAULT_REGION: &str = "cn-north-1";

pub fn find(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_az_is_named_after_its_region() {
        for r in super::REGIONS {
            assert!(!r.azs.is_empty());
            for az in r.azs {
                let letter = az.strip_prefix(r.id).expect("az starts with its region");
                assert!(letter.len() == 1 && letter.chars().all(|c| c.is_ascii_lowercase()));
            }
        }
        assert!(super::find(super::DEFAULT_REGION).is_some());
        assert!(super::find("cn-west-9").is_none());
    }
}
