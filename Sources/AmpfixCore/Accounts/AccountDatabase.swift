/// The accounts of a root, read from its passwd, group and shadow files (no NSS: under `--root`
/// only the files count). Malformed lines are skipped with a warning naming file and line.
public struct AccountDatabase: Sendable {
    public struct User: Sendable, Equatable {
        public var name: String
        public var uid: UInt32
        public var gid: UInt32
        public var home: String
        public var shell: String
        public var line: Int
        /// passwd's own password field: "x" (see shadow), a hash, or empty (no password).
        public var password: String = "x"
    }

    public struct Group: Sendable, Equatable {
        public var name: String
        public var gid: UInt32
        public var members: [String]
        public var line: Int
    }

    public static let passwdPath = "/etc/passwd"
    public static let groupPath = "/etc/group"
    public static let shadowPath = "/etc/shadow"

    public private(set) var users: [User] = []
    public private(set) var groups: [Group] = []
    /// Password field of each user in shadow, with its line.
    public private(set) var passwords: [String: (hash: String, line: Int)] = [:]
    public private(set) var warnings: [Message] = []

    public init(passwd: String?, group: String?, shadow: String?) {
        for (number, fields) in Self.records(passwd, path: Self.passwdPath, fields: 7, warnings: &warnings) {
            guard let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) else {
                warnings.append(.msg("\(Self.passwdPath):\(number): uid or gid is not a number; line ignored"))
                continue
            }
            users.append(User(name: fields[0], uid: uid, gid: gid, home: fields[5], shell: fields[6], line: number, password: fields[1]))
        }
        for (number, fields) in Self.records(group, path: Self.groupPath, fields: 4, warnings: &warnings) {
            guard let gid = UInt32(fields[2]) else {
                warnings.append(.msg("\(Self.groupPath):\(number): gid is not a number; line ignored"))
                continue
            }
            // glibc skips blanks around a member's name ("root, svc" makes svc a member).
            let members = fields[3].split(separator: ",").map { String($0).trimming() }.filter { !$0.isEmpty }
            groups.append(Group(name: fields[0], gid: gid, members: members, line: number))
        }
        // The first entry of a name is the one glibc and PAM use; a later one is only reported.
        for (number, fields) in Self.records(shadow, path: Self.shadowPath, fields: 9, warnings: &warnings) {
            if let first = passwords[fields[0]] {
                warnings.append(.msg("\(Self.shadowPath):\(number): a second entry of \(fields[0]) (the first, at line \(first.line), is the one that counts); line ignored"))
                continue
            }
            passwords[fields[0]] = (fields[1], number)
        }
    }

    /// The password a login of `user` is checked against, as pam_unix finds it: passwd's own
    /// field unless it is "x" (then shadow's entry; none: no password works), with where it is.
    public func effectivePassword(of user: User) -> (hash: String, at: String)? {
        guard user.password == "x" else { return (user.password, "\(Self.passwdPath):\(user.line)") }
        return passwords[user.name].map { ($0.hash, "\(Self.shadowPath):\($0.line)") }
    }

    /// Colon-separated records with their 1-based line numbers. NIS compat lines (+/-) and empty
    /// lines are skipped silently; lines with the wrong number of fields with a warning.
    private static func records(_ text: String?, path: String, fields count: Int, warnings: inout [Message]) -> [(Int, [String])] {
        guard let text else { return [] }
        var result: [(Int, [String])] = []
        for (index, line) in textLines(text).enumerated() {
            guard let first = line.utf8.first, first != UInt8(ascii: "+"), first != UInt8(ascii: "-") else { continue }
            // Split by byte: ':' is ASCII, and no field needs reading as characters here.
            let fields = line.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { String(Substring($0)) }
            guard fields.count == count else {
                warnings.append(.msg("\(path):\(index + 1): expected \(count) fields, found \(fields.count); line ignored"))
                continue
            }
            guard !fields[0].isEmpty else {
                warnings.append(.msg("\(path):\(index + 1): empty name; line ignored"))
                continue
            }
            result.append((index + 1, fields))
        }
        return result
    }

    public func user(_ name: String) -> User? { users.first { $0.name == name } }
    public func group(_ name: String) -> Group? { groups.first { $0.name == name } }
    public func group(gid: UInt32) -> Group? { groups.first { $0.gid == gid } }

    /// Whether some id in `range` is not used yet.
    public func hasFreeUID(in range: ClosedRange<UInt32>) -> Bool {
        Set(users.map(\.uid).filter(range.contains)).count < range.count
    }

    public func hasFreeGID(in range: ClosedRange<UInt32>) -> Bool {
        Set(groups.map(\.gid).filter(range.contains)).count < range.count
    }
}

/// One account's lines in the four account files, as `FILE:line` ("passwd:cisco-amp-scan-svc:x:…"):
/// what a run's useradd made, journaled, and what undo compares the account with now.
public enum AccountLines {
    public static let files: [(name: String, path: String, fields: [String])] = [
        ("passwd", "/etc/passwd", ["name", "password", "uid", "gid", "comment", "home", "shell"]),
        ("shadow", "/etc/shadow", ["name", "password", "last change", "minimum age", "maximum age", "warning", "inactivity", "expiry", "reserved"]),
        ("group", "/etc/group", ["name", "password", "gid", "members"]),
        ("gshadow", "/etc/gshadow", ["name", "password", "administrators", "members"]),
    ]

    /// The lines of `name` in each file's text (nil text: the file is absent), then where it is
    /// a member or an administrator of another group, as `member:FILE:GROUP:ROLE` — an account an
    /// administrator added to a group since the run is theirs now, and undo must see that.
    public static func of(_ name: String, in texts: [String: String?]) -> [String] {
        let own = files.flatMap { file -> [String] in
            guard let text = texts[file.name] ?? nil else { return [] }
            // By byte: "\r\n" is one Character, so a Character split would take a CRLF file for one line.
            return textLines(text).filter { $0.hasPrefix(name + ":") }.map { "\(file.name):\($0)" }
        }
        return own + memberships(name, in: texts)
    }

    /// The lists of each group and gshadow line that hold `name`: group's members (its 4th
    /// field), gshadow's administrators and members (3rd, 4th).
    static func memberships(_ name: String, in texts: [String: String?]) -> [String] {
        let lists: [(file: String, roles: [(field: Int, role: String)])] = [
            ("group", [(3, "member")]), ("gshadow", [(2, "administrator"), (3, "member")]),
        ]
        var found: [String] = []
        for (file, roles) in lists {
            guard let text = texts[file] ?? nil else { continue }
            for line in textLines(text) {
                let fields = line.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { String(Substring($0)) }
                guard fields.count == 4, fields[0] != name else { continue }
                for (field, role) in roles {
                    let names = fields[field].utf8.split(separator: UInt8(ascii: ",")).map { String(Substring($0)).trimming() }
                    if names.contains(name) { found.append("member:\(file):\(fields[0]):\(role)") }
                }
            }
        }
        return found
    }

    /// What differs between the lines made and the lines now, field by field ("comment Changed
    /// by admin", "password (shadow)", "gshadow entry removed"). Password fields are named,
    /// never shown.
    public static func differences(made: [String], now: [String]) -> [String] {
        var found: [String] = []
        let membershipsMade = Set(made.filter { $0.hasPrefix("member:") }), membershipsNow = Set(now.filter { $0.hasPrefix("member:") })
        for entry in membershipsNow.subtracting(membershipsMade).sorted() {
            let parts = entry.split(separator: ":").map(String.init)
            found.append("\(parts[3]) of group \(parts[2]) (\(parts[1]))")
        }
        for entry in membershipsMade.subtracting(membershipsNow).sorted() {
            let parts = entry.split(separator: ":").map(String.init)
            found.append("\(parts[3]) of group \(parts[2]) (\(parts[1])) entry removed")
        }
        for file in files {
            let prefix = file.name + ":"
            let before = made.first { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count).split(separator: ":",
                    omittingEmptySubsequences: false).map(String.init) }
            let after = now.first { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count).split(separator: ":",
                    omittingEmptySubsequences: false).map(String.init) }
            switch (before, after) {
            case (nil, nil): continue
            case (nil, .some): found.append("\(file.name) entry added")
            case (.some, nil): found.append("\(file.name) entry removed")
            case (let before?, let after?):
                for index in 0..<max(before.count, after.count) {
                    let was = index < before.count ? before[index] : nil
                    let isNow = index < after.count ? after[index] : nil
                    guard was != isNow else { continue }
                    let field = index < file.fields.count ? file.fields[index] : "field \(index + 1)"
                    found.append(field == "password" ? "password (\(file.name))" : "\(field) \(isNow ?? "(none)")\(file.name == "passwd" ? "" : " (\(file.name))")")
                }
            }
        }
        return found
    }
}
