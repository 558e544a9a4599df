extension FaultID {
    public static let scanUserUnavailable = FaultID(declaring: 5)
}

extension FaultDefinition {
    /// Fault 5 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let scanUserUnavailable = FaultDefinition(
        id: .scanUserUnavailable,
        journalMessageID: "8eba0c096a7a4cba8b015cb05855dfbe",
        repairs: true,
        english: FaultTexts(
            title: "Scan service user unavailable",
            condition: "The connector could not create or use the unprivileged account cisco-amp-scan-svc for its file scanner, so it scans files as root instead. That works, but it is not the intended design and must be fixed.",
            resolution: [
                "If the cisco-amp-scan-svc user or group was removed or altered, re-create them (reinstalling the connector does this); /var/log/cisco/ampdaemon.log says what failed.",
                "If USERGROUPS_ENAB is 'no' in /etc/login.defs, set it to 'yes' while the installer creates the account, then put it back.",
                "If /opt/cisco or a directory below it lost its permissions, set them back to 0755 owned by root, keep other software from changing them, and restart the connector.",
            ],
            automaticRepairs: [
                "restore /opt/cisco directories to mode 0755 owned by root, through directory descriptors",
                "create the cisco-amp-scan-svc user and its group with the system's useradd/groupadd, without editing login.defs",
            ]
        ),
        check: { ScanUserFault(options: $0.options) }
    )
}

/// Fault 5: the scanner cannot run as cisco-amp-scan-svc. Two causes are checked and repaired:
/// the scan account (user and its own group) is missing or wrong, and the connector's
/// directories lost their permissions. After a repair the connector is restarted where that is
/// possible.
public struct ScanUserFault: FaultCheck {
    public let id = FaultID.scanUserUnavailable
    public let options: RepairOptions

    /// The connector's install tree. Every directory in it is expected at mode 0755, owned by
    /// uid 0; the group is left as it is, since the connector does not depend on it.
    public static let connectorTree = "/opt/cisco"
    /// The connector's own directories: one of them a link that leads nowhere makes the tree
    /// unknown (any other such link is reported and blocks nothing).
    public static let connectorDirectories: Set<String> = ["/opt/cisco/amp", "/opt/cisco/amp/bin", "/opt/cisco/amp/etc",
                                                          "/opt/cisco/amp/var", "/opt/cisco/amp/var/clamav"]
    public static let expectedMode: UInt32 = 0o755
    public static let expectedOwner: UInt32 = 0

    /// The account ampfix creates: a system user (uid from SYS_UID_MIN..SYS_UID_MAX) with a group
    /// of the same name as its primary group, home in the connector's tree (not created), no
    /// login shell, and a locked password (useradd's default for a new account).
    public static let accountName = "cisco-amp-scan-svc"
    public static let accountHome = "/opt/cisco/amp"
    public static let accountComment = "Cisco Secure Endpoint scan service"
    public static let loginDefsPath = "/etc/login.defs"
    /// Non-login shells, in order of preference for a new account.
    public static let nologinShells = ["/usr/sbin/nologin", "/sbin/nologin", "/usr/bin/false", "/bin/false"]
    public static let connectorUnit = ConnectorRestart.unit

    public init(options: RepairOptions = RepairOptions()) {
        self.options = options
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        let permissions = checkPermissions(host)
        let account = checkAccount(host)
        if permissions.status == .notApplicable {
            // No connector, no scanner: nothing to create yet. The account state is still shown.
            return Finding(fault: id, status: .notApplicable, evidence: permissions.evidence + account.evidence)
        }
        let parts = [account, permissions]
        if parts.contains(where: { $0.status == .unknown }) {
            // Not a half repair: the account alone would be changed for a fault not understood.
            return Finding(fault: id, status: .unknown, evidence: parts.flatMap(\.evidence),
                           manualSteps: parts.flatMap(\.manualSteps) + [.msg("ampfix repairs fault 5 only once it can check all of it; resolve what is named above, then run ampfix --fault 5 again.")])
        }
        var finding = Finding(
            fault: id,
            status: FindingStatus.combined(parts.map(\.status)),
            evidence: parts.flatMap(\.evidence),
            repairs: parts.flatMap(\.repairs),
            manualSteps: parts.flatMap(\.manualSteps)
        )
        ConnectorRestart.add(to: &finding, options: options, host: host)
        return finding
    }

    public func stepsAfterRepair(_ host: any HostFacts) -> [Message] {
        ConnectorRestart.stepsAfterRepair(options: options, host: host)
    }

    // MARK: The scan account

    func checkAccount(_ host: any HostFacts) -> Finding {
        let name = Self.accountName
        let db: AccountDatabase
        let defs: LoginDefs
        do {
            db = AccountDatabase(
                passwd: try host.readText(AccountDatabase.passwdPath),
                group: try host.readText(AccountDatabase.groupPath),
                shadow: try host.readText(AccountDatabase.shadowPath)
            )
            defs = LoginDefs(path: Self.loginDefsPath, bytes: try host.readBytes(Self.loginDefsPath))
        } catch {
            return Finding(fault: id, status: .unknown, evidence: [.msg("cannot check the scan account: \(error)")])
        }
        var evidence = db.warnings + defs.warnings
        var repairs: [Change] = []
        var steps: [Message] = []
        let group = db.group(name)
        let user = db.user(name)

        if let group {
            evidence.append(.msg("group \(name) (gid \(group.gid)) at \(AccountDatabase.groupPath):\(group.line)"))
        } else {
            evidence.append(.msg("group \(name) missing from \(AccountDatabase.groupPath)"))
        }
        if let user {
            evidence.append(.msg("user \(name) (uid \(user.uid), primary gid \(user.gid)) at \(AccountDatabase.passwdPath):\(user.line)"))
            evidence += sanityWarnings(user, db: db, defs: defs)
        } else {
            evidence.append(.msg("user \(name) missing from \(AccountDatabase.passwdPath)"))
        }
        if group == nil {
            if defs.userGroupsEnabled {
                evidence.append(.msg("\(defs.describe("USERGROUPS_ENAB")): useradd would create the user's own group"))
            } else {
                evidence.append(.msg("\(defs.describe("USERGROUPS_ENAB")): useradd creates no group of the user's own and puts the user in gid 100, which is how this fault arises; ampfix does not edit login.defs for the repair"))
            }
        }

        let freeUID = db.hasFreeUID(in: defs.systemUIDs)
        let freeGID = db.hasFreeGID(in: defs.systemGIDs)
        func exhausted(_ what: String, _ range: ClosedRange<UInt32>, _ keys: String) {
            evidence.append(.msg("no free system \(what) in \(range.lowerBound)-\(range.upperBound) (\(keys) in \(Self.loginDefsPath)): it cannot be created"))
            steps.append(.msg("Free a system \(what) or widen \(keys) in \(Self.loginDefsPath), then run `ampfix --fault 5` again."))
        }

        switch (user, group) {
        case (nil, nil):
            if !freeUID { exhausted("uid", defs.systemUIDs, "SYS_UID_MIN/SYS_UID_MAX") }
            if !freeGID { exhausted("gid", defs.systemGIDs, "SYS_GID_MIN/SYS_GID_MAX") }
            if freeUID && freeGID { repairs.append(.createUser(account(host), ownGroup: true)) }
        case (nil, .some):
            if freeUID { repairs.append(.createUser(account(host), ownGroup: false)) } else {
                exhausted("uid", defs.systemUIDs, "SYS_UID_MIN/SYS_UID_MAX")
            }
        case (.some(let user), nil):
            guard freeGID else {
                exhausted("gid", defs.systemGIDs, "SYS_GID_MIN/SYS_GID_MAX")
                break
            }
            // Match the gid to the uid, as useradd does for a user group, when that gid is free.
            var gid: UInt32? = user.uid
            if let taken = db.group(gid: user.uid) {
                evidence.append(.msg("gid \(user.uid) (the user's uid) is taken by group \(taken.name) at \(AccountDatabase.groupPath):\(taken.line); groupadd -r picks another"))
                gid = nil
            } else if !defs.systemGIDs.contains(user.uid) {
                gid = nil
            }
            repairs.append(.createGroup(name: name, gid: gid))
            repairs.append(.setPrimaryGroup(user: name, before: .id(user.gid), after: .name(name)))
        case (.some(let user), .some(let group)):
            if user.gid != group.gid {
                if let current = db.group(gid: user.gid) {
                    evidence.append(.msg("the primary group of \(name) is gid \(user.gid) (\(current.name)), not its own group \(name) (gid \(group.gid))"))
                } else {
                    evidence.append(.msg("the primary group of \(name) is gid \(user.gid), not its own group \(name) (gid \(group.gid))"))
                }
                repairs.append(.setPrimaryGroup(user: name, before: .id(user.gid), after: .name(name)))
            }
        }
        // An account that is a way in, not a sandbox: explained, never changed by ampfix (an
        // administrator chose it, and deciding for them could lock someone out).
        var unsafe = false
        if let user, user.uid == 0 {
            unsafe = true
            evidence.append(.msg("\(name) has uid 0: the scanner would run as root, which the scan account exists to avoid"))
            steps.append(.msg("Give \(name) a system uid of its own (userdel \(name), then ampfix --fault 5 creates it), or ask Cisco why it is root."))
        }
        if let user, !Self.nologinShells.contains(user.shell), let password = db.effectivePassword(of: user),
           !(password.hash.hasPrefix("!") || password.hash.hasPrefix("*")) {
            unsafe = true
            if password.hash.isEmpty {
                evidence.append(.msg("\(name) can log in: the shell '\(user.shell)' and no password at all (\(password.at))"))
            } else {
                evidence.append(.msg("\(name) can log in: the shell '\(user.shell)' and a password that is not locked (\(password.at))"))
            }
            steps.append(.msg("Lock it: usermod -L -s \(Self.nologinShells.first { host.exists($0) } ?? Self.nologinShells[0]) \(name)"))
        }
        if let user, user.uid != 0, user.gid == 0 {
            unsafe = true
            evidence.append(.msg("the primary group of \(name) is gid 0: the scanner's files would be root's group's, which the scan account exists to avoid"))
            steps.append(.msg("Give \(name) a group of its own: groupdel and userdel it, then ampfix --fault 5 creates both; or ask Cisco why it is in gid 0."))
        }
        let healthy = user != nil && group != nil && user?.gid == group?.gid && !unsafe
        return Finding(fault: id, status: healthy ? .ok : .present, evidence: evidence, repairs: repairs, manualSteps: steps)
    }

    func account(_ host: any HostFacts) -> ServiceAccount {
        let shell = Self.nologinShells.first { host.exists($0) } ?? Self.nologinShells[0]
        return ServiceAccount(name: Self.accountName, home: Self.accountHome, shell: shell, comment: Self.accountComment)
    }

    /// What an existing account has that the connector does not expect. Reported, not changed:
    /// an administrator may have reasons, and none of these raises the fault.
    func sanityWarnings(_ user: AccountDatabase.User, db: AccountDatabase, defs: LoginDefs) -> [Message] {
        var warnings: [Message] = []
        let range = defs.systemUIDs
        if !range.contains(user.uid) {
            warnings.append(.msg("warning: uid \(user.uid) is outside the system range \(range.lowerBound)-\(range.upperBound)"))
        }
        if !Self.nologinShells.contains(user.shell) {
            warnings.append(.msg("warning: \(user.name) has the login shell '\(user.shell)'; expected a non-login shell such as /usr/sbin/nologin"))
        }
        if let password = db.passwords[user.name] {
            if !(password.hash.hasPrefix("!") || password.hash.hasPrefix("*")) {
                warnings.append(.msg("warning: the password of \(user.name) is not locked at \(AccountDatabase.shadowPath):\(password.line)"))
            }
        } else {
            warnings.append(.msg("warning: \(user.name) has no entry in \(AccountDatabase.shadowPath)"))
        }
        if user.home != Self.accountHome {
            warnings.append(.msg("note: the home of \(user.name) is \(user.home); ampfix creates the account with \(Self.accountHome)"))
        }
        return warnings
    }

    // MARK: Directory permissions

    func checkPermissions(_ host: any HostFacts) -> Finding {
        let tree: DirectoryTree
        do {
            tree = try host.directoryTree(at: Self.connectorTree)
        } catch {
            return Finding(fault: id, status: .unknown, evidence: [.msg("cannot check \(Self.connectorTree): \(error)")])
        }
        guard let resolved = tree.resolved else {
            return Finding(fault: id, status: .notApplicable, evidence: [.msg("\(Self.connectorTree) does not exist: the connector is not installed here")])
        }
        if resolved != Self.connectorTree {
            // A link on the way (/opt/cisco, or /opt): the tree is not where the connector's
            // package put it, and a repair would change whatever it leads to.
            return Finding(fault: id, status: .unknown, evidence: [.msg("\(Self.connectorTree) is reached through a symbolic link: it resolves to \(resolved); ampfix neither checks nor changes directories through a link")],
                           manualSteps: [.msg("Check that \(resolved) is the connector's tree; replace the link with it (mv), or check \(resolved) and every directory under it yourself: mode 0755, owned by root.")])
        }
        var evidence: [Message] = []
        var repairs: [Change] = []
        for dir in tree.directories {
            let now = dir.attributes
            guard now.mode != Self.expectedMode || now.uid != Self.expectedOwner else { continue }
            let want = DirectoryAttributes(mode: Self.expectedMode, uid: Self.expectedOwner, gid: now.gid)
            evidence.append(.msg("\(dir.path): mode \(now.octalMode) owner uid \(now.uid), expected \(want.octalMode) owned by root"))
            repairs.append(.directoryAttributes(path: dir.path, before: now, after: want))
        }
        let linkedDirectories = Dictionary(tree.directoryLinks.map { ($0.path, $0.target) }) { first, _ in first }
        for link in tree.symlinks {
            if let target = linkedDirectories[link] {
                evidence.append(.msg("\(link): symbolic link to the directory \(target.path) (mode \(target.attributes.octalMode) owner uid \(target.attributes.uid)); ampfix neither checks nor changes directories through a link"))
            } else {
                evidence.append(.msg("\(link): symbolic link, not followed"))
            }
        }
        var linkSteps: [Message] = []
        if !tree.brokenLinks.isEmpty {
            let broken = tree.brokenLinks.sorted(by: { $0.key < $1.key })
            evidence += broken.map { link -> Message in .msg("\(link.key): a symbolic link that cannot be followed: \(link.value)") }
            let fixes = broken.map { link -> Message in .msg("Remove or fix the link \(link.key) (reinstalling the connector restores its tree).") }
            // One of the connector's own directories missing or unreachable: the tree cannot be
            // called healthy, nor repaired in part. Any other link that leads nowhere is only
            // reported: it blocks no repair of the directories that are there.
            if broken.contains(where: { Self.connectorDirectories.contains($0.key) }) {
                return Finding(fault: id, status: .unknown, evidence: evidence, manualSteps: fixes)
            }
            linkSteps = fixes
        }
        if !linkedDirectories.isEmpty {
            // The connector would enter these; the check did not. Never "ok" for an unchecked tree.
            return Finding(fault: id, status: .unknown, evidence: evidence, manualSteps: tree.directoryLinks.map { link -> Message in
                .msg("Replace the link \(link.path) with a real directory, or check \(link.target.path) and every directory under it yourself: mode 0755, owned by root.")
            })
        }
        if repairs.isEmpty {
            let count = tree.directories.count
            evidence.insert(.plural(count, "\(count) directory under \(resolved) is mode 0755 owned by root",
                                    "\(count) directories under \(resolved) are mode 0755 owned by root"), at: 0)
            return Finding(fault: id, status: .ok, evidence: evidence, manualSteps: linkSteps)
        }
        return Finding(
            fault: id,
            status: .present,
            evidence: evidence,
            repairs: repairs,
            manualSteps: [.msg("Find what changed the permissions of \(Self.connectorTree) and stop it from doing so again.")] + linkSteps
        )
    }
}
