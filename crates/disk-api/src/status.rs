//! String enumerations of the wire. Each keeps a value it does not know as `Unknown(String)` instead of
//! failing to decode, so a newer cloud never breaks an older console.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this build does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in the reference's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(other) => other,
                }
            }

            pub fn parse(wire: &str) -> Self {
                match wire {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let wire = Option::<String>::deserialize(d)?.unwrap_or_default();
                Ok(Self::parse(&wire))
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($wire),+] })
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }
    };
}

wire_enum! {
    /// `Disk.status`. `attaching`/`detaching` are what JD's console and Terraform show while a VM operation runs.
    DiskStatus {
        Creating = "creating",
        Available = "available",
        Attaching = "attaching",
        InUse = "in-use",
        Detaching = "detaching",
        Extending = "extending",
        Restoring = "restoring",
        Deleting = "deleting",
        Deleted = "deleted",
        ErrorCreate = "error_create",
        ErrorDelete = "error_delete",
        ErrorRestore = "error_restore",
        ErrorExtend = "error_extend",
        InRecycleBin = "in-recyclebin",
    }
}

impl DiskStatus {
    /// A status that ends by itself: a view showing it has to keep watching.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            Self::Creating
                | Self::Attaching
                | Self::Detaching
                | Self::Extending
                | Self::Restoring
                | Self::Deleting
        )
    }

    pub fn is_error(&self) -> bool {
        self.as_str().starts_with("error")
    }
}

wire_enum! {
    /// `DiskAttachment.status`.
    AttachmentStatus {
        Attaching = "attaching",
        Attached = "attached",
        Detaching = "detaching",
        Detached = "detached",
    }
}

wire_enum! {
    /// `Snapshot.status`: the union of the model comment and the filter documentation.
    SnapshotStatus {
        Creating = "creating",
        Available = "available",
        InUse = "in-use",
        Copying = "copying",
        Deleting = "deleting",
        ErrorCreate = "error_create",
        ErrorDelete = "error_delete",
    }
}

impl SnapshotStatus {
    pub fn is_transitional(&self) -> bool {
        matches!(self, Self::Creating | Self::Copying | Self::Deleting)
    }

    /// Only available snapshots and failed ones may be deleted.
    pub fn is_deletable(&self) -> bool {
        matches!(self, Self::Available | Self::ErrorCreate | Self::ErrorDelete)
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Self::ErrorCreate | Self::ErrorDelete)
    }
}

wire_enum! {
    /// `Disk.diskType`.
    DiskType {
        Ssd = "ssd",
        PremiumHdd = "premium-hdd",
        SsdGp1 = "ssd.gp1",
        SsdIo1 = "ssd.io1",
        HddStd1 = "hdd.std1",
        SsdGp2 = "ssd.gp2",
        SsdIo2 = "ssd.io2",
    }
}

impl DiskType {
    /// `(min, max, step)` capacity in GiB that the disk service accepts for this type.
    pub fn size_limits_gib(&self) -> (u32, u32, u32) {
        match self {
            Self::Ssd => (20, 1000, 10),
            Self::PremiumHdd => (20, 3000, 10),
            _ => (20, 16000, 10),
        }
    }

    /// The product name shown to people.
    pub fn label(&self) -> &str {
        match self {
            Self::Ssd => "SSD (legacy)",
            Self::PremiumHdd => "Premium HDD",
            Self::SsdGp1 => "General Purpose SSD",
            Self::SsdIo1 => "Performance SSD",
            Self::HddStd1 => "Capacity HDD",
            Self::SsdGp2 => "General Purpose SSD Gen2",
            Self::SsdIo2 => "Enhanced SSD",
            Self::Unknown(other) => other,
        }
    }
}

wire_enum! {
    /// `Charge.chargeMode`.
    ChargeMode {
        PrepaidByDuration = "prepaid_by_duration",
        PostpaidByUsage = "postpaid_by_usage",
        PostpaidByDuration = "postpaid_by_duration",
    }
}

wire_enum! {
    /// `Charge.chargeStatus`.
    ChargeStatus {
        Normal = "normal",
        Overdue = "overdue",
        Arrear = "arrear",
    }
}
