//! Every word the Cloud Disk Console shows, in English and Simplified Chinese: one catalogue, one macro line
//! per text. A text missing in one language does not compile; the tests check placeholders match.
//!
//! Shared by the console (which loads the Chinese texts on demand, see its `i18n` module) and by disk-server,
//! which renders the first view of the disk list into the console's page.

pub mod words;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    En,
    ZhCn,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// The BCP 47 tag: `en`, `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
        }
    }

    /// `zh`, `zh-CN`, `zh-Hans-CN` → Chinese; `en`, `en-GB` → English; anything else → `None`.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The first supported language of a preference list (remembered choice, configuration, browser…).
    pub fn choose<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Locale {
        preferences.into_iter().find_map(Locale::parse).unwrap_or_default()
    }

    /// A text in this language, from the whole catalogue. (The console looks its texts up through its own
    /// `i18n::t`, which has the Chinese texts only once their module is loaded: calling this from the
    /// console would put them all in its first module.)
    pub fn text(self, m: T) -> &'static str {
        match self {
            Locale::En => en(m),
            Locale::ZhCn => zh_table()[m as usize],
        }
    }

    /// A text with `{name}` placeholders filled in.
    pub fn fill(self, m: T, args: &[(&str, &str)]) -> String {
        fill(self.text(m), args)
    }
}

/// `{name}` placeholders replaced by their values (left as they are when not given).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

macro_rules! catalogue {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        /// A text of the console.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];
        }

        /// A text in English.
        pub fn en(m: T) -> &'static str {
            match m { $(T::$key => $en),* }
        }

        /// The Chinese texts in `T`'s order. The console names them only in its second language's split
        /// module, so that they are not in its first one.
        pub fn zh_table() -> &'static [&'static str] {
            static ZH: &[&str] = &[$($zh),*];
            ZH
        }
    };
}

catalogue! {
    // The frame
    ConsoleName => "Cloud Disk Console", "云硬盘控制台";
    MainNav => "Main", "主导航";
    Disks => "Disks", "云硬盘";
    Snapshots => "Snapshots", "快照";
    Region => "Region", "地域";
    Language => "Language", "语言";
    LivePaused => "Live updates paused — {reason}", "实时更新已暂停：{reason}";
    EmulatedRegion => "Emulated region", "模拟地域";
    EmulatedRegionHint => "Demo data kept on this server, not your JD Cloud account", "演示数据，保存在本服务器上，并非您的京东云账号";
    SignedInAs => "{user} · {role}", "{user}（{role}）";
    SignedInHint => "Signed in to JD Cloud through this server's gateway", "通过本服务器的网关访问京东云";
    RoleViewer => "viewer", "只读用户";
    RoleOperator => "operator", "操作员";
    ViewerCannot => "Your role ({role}) can only look: creating, editing, deleting and detaching need the operator role.", "您的角色（{role}）只能查看：创建、编辑、删除和卸载需要操作员角色。";
    Retry => "Retry", "重试";
    PartNotLoaded => "This part of the console could not be loaded", "无法加载控制台的这一部分";
    PartNotLoadedWhy => "The browser could not fetch it: the network or the console's server did not answer. The console tries again by itself; Retry tries now. If the console was updated since this page was opened, reload the page.", "浏览器未能获取它：网络或控制台服务器没有响应。控制台会自动重试；点击“重试”立即重试。如果打开此页面后控制台已更新，请刷新页面。";
    Refresh => "Refresh", "刷新";
    Dismiss => "Dismiss", "关闭";
    Cancel => "Cancel", "取消";
    OkButton => "OK", "确定";
    Yes => "Yes", "是";
    No => "No", "否";
    Actions => "Actions", "操作";
    Loading => "Loading…", "加载中…";

    // Regions
    RegionCnNorth1 => "North China (Beijing)", "华北-北京";
    RegionCnEast1 => "East China (Suqian)", "华东-宿迁";
    RegionCnEast2 => "East China (Shanghai)", "华东-上海";
    RegionCnSouth1 => "South China (Guangzhou)", "华南-广州";

    // Statuses
    StCreating => "Creating", "创建中";
    StAvailable => "Available", "可用";
    StAttaching => "Attaching", "挂载中";
    StInUse => "In use", "使用中";
    StDetaching => "Detaching", "卸载中";
    StExtending => "Extending", "扩容中";
    StRestoring => "Restoring", "恢复中";
    StDeleting => "Deleting", "删除中";
    StDeleted => "Deleted", "已删除";
    StErrorCreate => "Creation failed", "创建失败";
    StErrorDelete => "Deletion failed", "删除失败";
    StErrorRestore => "Restore failed", "恢复失败";
    StErrorExtend => "Extension failed", "扩容失败";
    StInRecycleBin => "In recycle bin", "回收站中";
    StCopying => "Copying", "复制中";
    StAttached => "Attached", "已挂载";
    StDetached => "Detached", "已卸载";

    // Disk types and charge modes
    TypeSsd => "SSD (legacy)", "SSD（旧版）";
    TypePremiumHdd => "Premium HDD", "高效云盘";
    TypeSsdGp1 => "General Purpose SSD", "通用型SSD";
    TypeSsdIo1 => "Performance SSD", "性能型SSD";
    TypeHddStd1 => "Capacity HDD", "容量型HDD";
    TypeSsdGp2 => "General Purpose SSD Gen2", "通用型SSD（二代）";
    TypeSsdIo2 => "Enhanced SSD", "增强型SSD";
    ChargePrepaid => "Subscription (prepaid)", "包年包月";
    ChargeByUsage => "Pay by usage", "按用量";
    ChargeByDuration => "Pay by configuration", "按配置";

    // Units and times
    Gib => "{n} GiB", "{n} GiB";
    MbPerSec => "{n} MB/s", "{n} MB/s";
    AboutSeconds => "about {n} seconds", "约 {n} 秒";
    AboutSecond => "about 1 second", "约 1 秒";
    AboutMinutes => "about {n} minutes", "约 {n} 分钟";
    AboutMinute => "about 1 minute", "约 1 分钟";
    AboutHours => "about {n} hours", "约 {n} 小时";
    AboutHour => "about 1 hour", "约 1 小时";
    ElapsedS => "{s}s", "{s}秒";
    ElapsedMs => "{m}m {s}s", "{m}分{s}秒";
    ElapsedHm => "{h}h {m}m", "{h}小时{m}分";
    UpdatedJustNow => "Updated just now", "刚刚更新";
    NotUpToDate => "Not up to date: {why}", "数据可能不是最新：{why}";
    NotUpToDateRetrying => "Not up to date: {why} Trying again by itself.", "数据可能不是最新：{why} 正在自动重试。";
    RetryingByItself => "The console tries again by itself and shows the page once the API answers.", "控制台会自动重试，API 恢复后即显示页面。";
    UpdatedSecondsAgo => "Updated {n}s ago", "{n} 秒前更新";
    ElapsedLeft => "{since} elapsed · {left}", "已用 {since} · {left}";
    LeftAbout => "{about} left", "剩余{about}";
    Finishing => "finishing", "即将完成";
    Estimating => "estimating…", "正在估算…";
    CreateDisk => "Create Disk", "创建云硬盘";
    FromSnapshot => "From snapshot", "源快照";
    CapacityGib => "Capacity (GiB)", "容量（GiB）";
    SizeNumber => "Enter the capacity in GiB, as a whole number.", "请输入以 GiB 为单位的整数容量。";
    SizeRule => "{min}–{max} GiB, in steps of {step} GiB.", "{min}–{max} GiB，步长 {step} GiB。";
    SizeAtLeast => "Use at least {n} GiB.", "至少 {n} GiB。";
    SizeAtMost => "Use at most {n} GiB for this type.", "此类型最多 {n} GiB。";
    SizeStep => "Use a multiple of {n} GiB.", "请使用 {n} GiB 的整数倍。";
    SizeBelowSnapshot => "Use at least the snapshot's {n} GiB.", "不能小于快照的 {n} GiB。";
    DiskQuotaLine => "{used} of {limit} disks used in {region}", "{region} 已使用 {used}/{limit} 块云硬盘";
    DiskQuotaFull => "The disk quota of this region is used up: delete a disk first.", "此地域的云硬盘配额已用完：请先删除云硬盘。";
    NoDiskCreated => "The cloud accepted the request but named no new disk.", "云端接受了请求，但没有返回新云硬盘。";
    CreatingDiskToast => "Creating disk {name}…", "正在创建云硬盘 {name}…";
    RollBack => "Roll Back", "回滚";
    RollBackSourceDisk => "Roll Back Source Disk", "回滚源云硬盘";
    RollBackDiskQ => "Roll Back Disk?", "回滚云硬盘？";
    RollbackText => "Disk {disk} goes back to snapshot {snapshot}, taken {time}.", "云硬盘 {disk} 将回到 {time} 创建的快照 {snapshot}。";
    RollbackLoss => "Everything written to the disk since {time} is lost. This cannot be undone.", "{time} 之后写入该云硬盘的数据都将丢失，且无法恢复。";
    RollbackDetachFirst => "Only a detached disk can be rolled back: detach it first.", "只有已卸载的云硬盘才能回滚：请先卸载。";
    RollbackNotWhile => "The disk cannot be rolled back while it is {status}.", "云硬盘处于{status}状态时不能回滚。";
    RollbackSourceGone => "The source disk no longer exists: make a new disk from the snapshot instead.", "源云硬盘已不存在：可以用该快照创建新云硬盘。";
    TypeToConfirm => "Type the disk's name, {name}, to confirm", "输入云硬盘名称 {name} 以确认";
    RollingBackToast => "Rolling back disk {name}…", "正在回滚云硬盘 {name}…";
    Attach => "Attach", "挂载";
    AttachDiskTitle => "Attach Disk", "挂载云硬盘";
    AttachText => "Attach {disk} to an instance in {zone} (a disk attaches only within its availability zone).", "将 {disk} 挂载到 {zone} 的云主机（云硬盘只能挂载到同一可用区的云主机）。";
    LoadingInstances => "Loading instances…", "正在加载云主机…";
    NoInstanceInZone => "No running or stopped instance in {zone} to attach to.", "{zone} 中没有可挂载的运行中或已停止的云主机。";
    SnapshotTitle => "Snapshot", "快照";
    SnapshotNotFound => "Snapshot not found", "未找到快照";
    SnapshotNotFoundText => "There is no snapshot {snapshot} in {region}. It may have been deleted.", "{region} 中没有快照 {snapshot}，它可能已被删除。";
    BackToSnapshotList => "Back to the snapshot list", "返回快照列表";
    CouldNotLoadSnapshot => "Could not load the snapshot", "无法加载快照";
    LoadingSnapshot => "Loading the snapshot…", "正在加载快照…";
    SnapshotGoneNow => "This snapshot has been deleted.", "该快照已被删除。";
    SourceDiskStatus => "Source disk status", "源云硬盘状态";
    GuidedOption => "Detach, snapshot, attach again (recommended)", "卸载、创建快照、重新挂载（推荐）";
    GuidedOptionHelp => "The console detaches the disk from {instances}, takes the snapshot once the disk is detached, and attaches it again when the snapshot is ready. Stop the applications that use the disk first.", "控制台会先将云硬盘从 {instances} 卸载，卸载完成后创建快照，快照就绪后再重新挂载。请先停止使用该云硬盘的应用。";
    WhileAttachedOption => "Snapshot while attached", "在挂载状态下创建快照";
    WhileAttachedHelp => "Stop writing to the disk first, or the snapshot may miss data still in the instance's cache.", "请先停止向云硬盘写入数据，否则快照可能缺少仍在云主机缓存中的数据。";
    HowToSnapshot => "How to take it", "创建方式";
    GuidedTitle => "Guided snapshot", "引导式快照";
    GuidedStepDetach => "Detach from {instances}", "从 {instances} 卸载";
    GuidedStepSnapshot => "Create the snapshot and wait until it is available", "创建快照并等待其可用";
    GuidedStepAttach => "Attach again to {instances}", "重新挂载到 {instances}";
    GuidedStepNameDetach => "Detach", "卸载";
    GuidedStepNameSnapshot => "Create snapshot", "创建快照";
    GuidedStepNameAttach => "Attach again", "重新挂载";
    GuidedMarkDone => "Done: ", "已完成：";
    GuidedMarkCurrent => "Now: ", "进行中：";
    GuidedMarkFailed => "Failed: ", "失败：";
    GuidedFailed => "{step} failed: {reason}", "{step}失败：{reason}";
    GuidedDetachFailed => "the disk is still attached to {instance}.", "云硬盘仍挂载在 {instance} 上。";
    GuidedAttachFailed => "the disk did not attach to {instance}.", "云硬盘未能挂载到 {instance}。";
    GuidedAttachedElsewhere => "the disk is attached to an instance this plan does not know.", "云硬盘挂载在此计划之外的云主机上。";
    GuidedDiskStatus => "the disk is {status}.", "云硬盘状态为 {status}。";
    GuidedSnapshotFailed => "the snapshot failed (the cloud did not say why).", "快照创建失败（云端未说明原因）。";
    GuidedDetachedToast => "Disk {disk} is detached: taking the snapshot.", "云硬盘 {disk} 已卸载：正在创建快照。";
    GuidedSnapshotReadyToast => "Snapshot {name} is available: attaching the disk again.", "快照 {name} 已可用：正在重新挂载云硬盘。";
    GuidedDoneToast => "Done: disk {disk} has its snapshot and is attached again.", "完成：云硬盘 {disk} 已创建快照并重新挂载。";
    AttachAgainNow => "Attach Again Now", "立即重新挂载";
    DetachedForSnapshot => "Detached for a snapshot: attach again", "为快照而卸载：请重新挂载";
    NotWhileSnapshot => "Not while the snapshot is {status}.", "快照处于{status}状态时不可用。";
    Elapsed => "{since} elapsed", "已用 {since}";
    TakingLonger => "taking longer than expected", "用时超出预期";

    // Errors
    ErrNetwork => "The disk service could not be reached. Check your connection and try again.",
        "无法连接云硬盘服务。请检查网络后重试。";
    ErrDecode => "The disk service sent an answer the console cannot read (HTTP {status}).",
        "云硬盘服务返回了控制台无法识别的应答（HTTP {status}）。";
    // API errors: JD's own message (English), introduced in Chinese by what kind of error it is.
    ErrInvalidArgument => "{message}", "请求参数有误：{message}";
    ErrFailedPrecondition => "{message}", "资源当前状态不允许此操作：{message}";
    ErrNotFound => "{message}", "未找到：{message}";
    ErrQuotaExceeded => "{message}", "配额已用完：{message}";
    ErrRateLimit => "{message}", "请求过于频繁，请稍后重试：{message}";
    ErrUnauthenticated => "{message}", "未登录或凭证已过期：{message}";
    ErrForbidden => "{message}", "没有权限：{message}";
    ErrUnavailable => "{message}", "云硬盘服务暂不可用，请稍后重试：{message}";
    ErrOther => "{message}", "云硬盘服务返回错误：{message}";
    HttpStatus => "HTTP {code} · {status}", "HTTP {code} · {status}";
    HttpOnly => "HTTP {code}", "HTTP {code}";
    DeletedDisk => "(deleted)", "（已删除）";
    RequestId => "Request ID: ", "请求 ID：";
    NameEmpty => "Enter a name.", "请输入名称。";
    NameTooLong => "Use at most {max} characters ({n} entered).", "最多 {max} 个字符（已输入 {n} 个）。";
    NameBadChar => "“{c}” is not allowed. Use Chinese characters, letters, digits, “_” and “-”.",
        "不允许使用“{c}”。请使用中文、字母、数字、“_”和“-”。";
    DescriptionTooLong => "Use at most {max} characters ({n} entered).", "最多 {max} 个字符（已输入 {n} 个）。";

    // Disk list
    CloudDisks => "Cloud Disks", "云硬盘";
    CloudDisksTable => "Cloud disks", "云硬盘列表";
    SearchByName => "Search by name", "按名称搜索";
    SearchPlaceholder => "e.g. mysql", "例如 mysql";
    Search => "Search", "搜索";
    ClearSearch => "Clear Search", "清除搜索";
    LoadingDisks => "Loading disks…", "正在加载云硬盘…";
    CouldNotLoadDisks => "Could not load disks", "无法加载云硬盘";
    NoDisks => "There are no cloud disks in {region}.", "{region} 没有云硬盘。";
    NoDisksNamed => "No disks in {region} have a name containing “{name}”.", "{region} 没有名称包含“{name}”的云硬盘。";
    Name => "Name", "名称";
    Status => "Status", "状态";
    Type => "Type", "类型";
    Capacity => "Capacity", "容量";
    Az => "AZ", "可用区";
    AttachedInstance => "Attached instance", "挂载实例";
    Created => "Created", "创建时间";
    StatusForbidsSnapshot => "The disk's status does not allow a snapshot now.", "云硬盘当前状态不能创建快照。";
    SnapshotInProgress => "Snapshot in progress", "快照创建中";
    CreateSnapshot => "Create Snapshot", "创建快照";

    // Disk detail
    LoadingDisk => "Loading disk…", "正在加载云硬盘…";
    CouldNotLoadDisk => "Could not load the disk", "无法加载云硬盘";
    CrashTitle => "The console stopped working", "控制台已停止工作";
    CrashText => "Something in the console broke and it can no longer update this page. Reload to start again: the lists will show what the cloud has.", "控制台内部出错，无法再更新此页面。请重新加载：列表将显示云端的实际状态。";
    Reload => "Reload", "重新加载";
    UnknownRegion => "Unknown region", "未知地域";
    UnknownRegionText => "The console does not know the region “{region}”. Choose one of these:", "控制台不认识地域“{region}”。请选择以下地域之一：";
    UnknownRegionOption => "{region} (unknown)", "{region}（未知）";
    Breadcrumb => "Breadcrumb", "导航路径";
    NotADiskId => "Not a disk ID", "不是云硬盘 ID";
    NotADiskIdText => "“{id}” is not a disk ID: disk IDs look like vol-0a1b2c3d4e. Find the disk in the list.", "“{id}”不是云硬盘 ID：云硬盘 ID 形如 vol-0a1b2c3d4e。请在列表中查找该云硬盘。";
    NotASnapshotId => "Not a snapshot ID", "不是快照 ID";
    NotASnapshotIdText => "“{id}” is not a snapshot ID: snapshot IDs look like snapshot-0a1b2c3d4e. Find the snapshot in the list.", "“{id}”不是快照 ID：快照 ID 形如 snapshot-0a1b2c3d4e。请在列表中查找该快照。";
    DiskNotFound => "Disk not found", "未找到云硬盘";
    DiskNotFoundText => "There is no disk {disk} in {region}. It may have been deleted.", "{region} 中没有云硬盘 {disk}，可能已被删除。";
    BackToDiskList => "Back to the disk list", "返回云硬盘列表";
    NoSnapshotWhile => "A snapshot cannot be created while the disk is {status}.", "云硬盘处于“{status}”状态时不能创建快照。";
    Detach => "Detach", "卸载";
    DiskBusy => "The disk is busy.", "云硬盘正忙。";
    NotAttached => "Not attached to any instance.", "未挂载到任何实例。";
    Instance => "Instance", "实例";
    AttachmentStatus => "Attachment status", "挂载状态";
    AttachedAt => "Attached", "挂载时间";
    BasicInformation => "Basic information", "基本信息";
    Iops => "IOPS", "IOPS";
    Throughput => "Throughput", "吞吐量";
    AvailabilityZone => "Availability zone", "可用区";
    Encrypted => "Encrypted", "加密";
    MultiAttach => "Multi-attach", "多点挂载";
    ChargeMode => "Charge mode", "计费模式";
    SourceSnapshot => "Source snapshot", "源快照";
    Description => "Description", "描述";
    Attachment => "Attachment", "挂载信息";
    CouldNotLoadSnapshots => "Could not load snapshots", "无法加载快照";
    NoSnapshotsYet => "This disk has no snapshots yet. Use Actions → Create Snapshot.", "此云硬盘还没有快照。可通过“操作 → 创建快照”创建。";
    SnapshotsOfDisk => "Snapshots of this disk", "此云硬盘的快照";
    DetachDiskQ => "Detach Disk?", "卸载云硬盘？";
    DetachText => "The disk will be detached from instance {instance}. Stop using it inside the instance first.", "云硬盘将从实例 {instance} 卸载。请先在实例内停止使用它。";

    // Snapshot list
    Filter => "Filter", "筛选";
    All => "All", "全部";
    ManualKeptList => "Manual snapshots are kept when their disk is deleted and count toward the quota until you delete them.", "手动快照在云硬盘删除后仍会保留，并在您删除前一直占用配额。";
    LoadingSnapshots => "Loading snapshots…", "正在加载快照…";
    NoSnapshotsInRegion => "There are no snapshots in {region} yet. Create one from a disk: Create Snapshot in the disk list, or Actions → Create Snapshot on a disk's page.", "{region} 还没有快照。可在云硬盘列表中点击“创建快照”，或在云硬盘详情页通过“操作 → 创建快照”创建。";
    PageEmptied => "This page has no snapshots left.", "此页已没有快照。";
    SelectAll => "Select all", "全选";
    SnapshotSaved => "Snapshot {name} saved", "快照 {name} 已保存";
    ClearFilters => "Clear Filters", "清除筛选";
    NoSnapshotsMatch => "No snapshots in {region} match.", "{region} 没有符合条件的快照。";
    NotFoundTitle => "Page not found", "页面不存在";
    NotFoundText => "There is nothing at this address.", "此地址没有内容。";
    GoToDiskList => "Go to the disk list", "前往云硬盘列表";
    GoToSnapshotList => "Go to the snapshot list", "前往快照列表";

    // Create snapshot
    CreatingSnapshotToast => "Creating snapshot {name}", "正在创建快照 {name}";
    SnapshotAvailableToast => "Snapshot {name} is available", "快照 {name} 已可用";
    SnapshotFailedToast => "Snapshot {name} could not be created", "快照 {name} 创建失败";
    CreateFailedNoReason => "The snapshot could not be created; the cloud did not say why. Retry, or delete it.", "快照创建失败，云端未说明原因。可以重试，或将其删除。";
    DeleteFailedNoReason => "The snapshot could not be deleted; the cloud did not say why. Delete it again.", "快照删除失败，云端未说明原因。请再次删除。";
    FailedCountsTowardQuota => "It counts toward the snapshot quota until it is deleted.", "删除前它仍占用快照配额。";
    SnapshotGoneToast => "Snapshot {name} no longer exists in {region}.", "快照 {name} 在 {region} 中已不存在。";
    DeletingSnapshotToast => "Deleting snapshot {name}…", "正在删除快照 {name}…";
    DeletingSnapshotsToast => "Deleting {n} snapshots…", "正在删除 {n} 个快照…";
    SnapshotDeletedToast => "Snapshot {name} was deleted", "快照 {name} 已删除";
    AttachedAdvice => "This disk is attached to instance {instance}. Detaching it first is recommended; attach it again after the snapshot is created.", "此云硬盘已挂载到实例 {instance}。建议先卸载，快照创建完成后再重新挂载。";
    QuotaLine => "{used} of {limit} snapshots used in {region}", "{region} 已使用 {used}/{limit} 个快照";
    Disk => "Disk", "云硬盘";
    NameHelp => "1–32 characters: Chinese characters, letters, digits, “_” and “-”.", "1–32 个字符：中文、字母、数字、“_”和“-”。";
    DescriptionCount => "{n} / {max} characters", "{n} / {max} 个字符";
    StopWrites => "Stop writing to the disk before you create a snapshot, so the snapshot holds complete data.", "创建快照前请停止向云硬盘写入数据，以保证快照数据完整。";
    TakesLonger => "A snapshot of {size} takes {estimate} here; larger disks take longer.", "在此地域，{size} 的快照需要{estimate}；容量越大，耗时越长。";
    TakesLongerUnknown => "Larger disks take longer to snapshot; the console estimates the time for {size} once it has seen a snapshot of this disk type finish in this region.", "容量越大，耗时越长；控制台在此地域看到同类型云硬盘的快照完成后，会估算 {size} 的快照所需的时间。";
    ManualKeptDialog => "Manual snapshots are kept when the disk is deleted and count toward the quota until you delete them.", "手动快照在云硬盘删除后仍会保留，并在您删除前一直占用配额。";
    Creating => "Creating…", "创建中…";
    QuotaUsedUp => "The snapshot quota of {region} is used up ({used} of {limit}). Delete snapshots you no longer need to create new ones.", "{region} 的快照配额已用完（{used}/{limit}）。请删除不再需要的快照后再创建。";
    SnapshotQuota => "Snapshot quota", "快照配额";

    // Pager
    PagerRange => "{from}–{to} of {total}", "第 {from}–{to} 条，共 {total} 条";
    Pages => "Pages", "分页";
    Previous => "Previous", "上一页";
    Next => "Next", "下一页";
    PageOf => "Page {page} of {pages}", "第 {page}/{pages} 页";
    PerPage => "Per page ", "每页 ";

    // Snapshot table
    SelectName => "Select {name}", "选择 {name}";
    Edit => "Edit", "编辑";
    Delete => "Delete", "删除";
    DeleteSelected => "Delete Selected ({n})", "删除所选（{n}）";
    Selected => "Selected", "已选";
    SourceDisk => "Source disk", "源云硬盘";
    Size => "Size", "大小";
    DeleteSnapshotQ => "Delete Snapshot?", "删除快照？";
    DeleteSnapshotsQ => "Delete {n} Snapshots?", "删除 {n} 个快照？";
    Deleting => "Deleting…", "删除中…";
    CannotBeUndone => "This cannot be undone. The source disk is not affected.", "此操作不可撤销。源云硬盘不受影响。";
    EditSnapshot => "Edit Snapshot", "编辑快照";
    Save => "Save", "保存";
    Saving => "Saving…", "保存中…";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> =
            s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn the_chinese_table_is_in_the_catalogue_s_order() {
        assert_eq!(zh_table().len(), T::ALL.len());
        for (i, &m) in T::ALL.iter().enumerate() {
            assert_eq!(m as usize, i, "{m:?}");
        }
        assert_eq!(Locale::ZhCn.text(T::Cancel), "取消");
        assert_eq!(Locale::ZhCn.text(T::Disks), "云硬盘");
    }

    #[test]
    fn every_text_is_complete_in_both_languages() {
        for &m in T::ALL {
            let (e, z) = (en(m), Locale::ZhCn.text(m));
            assert!(!e.trim().is_empty() && !z.trim().is_empty(), "{m:?} is empty in a language");
            assert_eq!(placeholders(e), placeholders(z), "{m:?}: placeholders differ between en and zh-CN");
        }
        // Texts that read the same in both languages are units and product terms only; anything else the
        // same in both was not translated.
        let same_ok = [T::Gib, T::MbPerSec, T::HttpStatus, T::HttpOnly, T::Iops];
        for &m in T::ALL {
            if en(m) == Locale::ZhCn.text(m) {
                assert!(same_ok.contains(&m), "{m:?} is not translated");
            }
        }
    }

    /// Defect 8 of the first-time issue ("200 GiB 的快照约需 约 1 分钟"): every text filled with every
    /// fragment the console composes into others (estimates, elapsed, "estimating…") says each word once.
    #[test]
    fn composed_sentences_say_each_word_once() {
        let fragments = [
            T::AboutSeconds,
            T::AboutSecond,
            T::AboutMinutes,
            T::AboutMinute,
            T::AboutHours,
            T::AboutHour,
            T::Estimating,
            T::Finishing,
            T::ElapsedS,
        ];
        for locale in Locale::ALL {
            let parts: Vec<String> =
                fragments.iter().map(|&f| locale.fill(f, &[("n", "3"), ("s", "5")])).collect();
            for &m in T::ALL.iter().filter(|m| !fragments.contains(m)) {
                let template = locale.text(m);
                // Numbers (`{n}`, `{s}` …) are not composed sentences.
                for name in placeholders(template).into_iter().filter(|n| n.len() > 1) {
                    for part in &parts {
                        let text = fill(template, &[(name, part)]);
                        let words: Vec<String> = text
                            .split_whitespace()
                            .filter(|w| !w.contains('{'))
                            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
                            .filter(|w| !w.is_empty() && w.parse::<f64>().is_err())
                            .collect();
                        assert!(
                            words.windows(2).all(|p| p[0] != p[1]),
                            "{m:?} in {}: a word twice: {text}",
                            locale.tag()
                        );
                        let yue: Vec<usize> =
                            text.chars().enumerate().filter(|(_, c)| *c == '约').map(|(i, _)| i).collect();
                        assert!(
                            yue.windows(2).all(|p| p[1] - p[0] > 3),
                            "{m:?} in {}: 约 twice: {text}",
                            locale.tag()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn locales_and_placeholders() {
        assert_eq!(Locale::parse("zh-Hans-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::choose(["fr-FR", "zh-TW", "en"]), Locale::ZhCn);
        assert_eq!(Locale::choose([]), Locale::En);
        assert_eq!(fill("{a} of {b}", &[("a", "1"), ("b", "2")]), "1 of 2");
        assert_eq!(fill("{a} {missing} {", &[("a", "x")]), "x {missing} {");
        assert_eq!(
            Locale::ZhCn.fill(T::QuotaLine, &[("used", "3"), ("limit", "15"), ("region", "华北")]),
            "华北 已使用 3/15 个快照"
        );
    }
}
