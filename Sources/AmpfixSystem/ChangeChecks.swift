import AmpfixCore
import Glibc

/// What the appliers of host changes check before they run a tool or write under a directory.
extension RootedFileSystem {
    /// `--root ROOT` for the shadow tools when the root is not /.
    var rootArguments: [String] { root == "/" ? [] : ["--root", root] }

    /// Runs a shadow tool (useradd, groupadd, usermod, userdel, groupdel) on this root:
    /// `--root ROOT` and confined (`Confinement`) when the root is not /; throws unless it exits 0.
    @discardableResult
    func runShadowTool(_ tool: String, _ arguments: [String]) throws -> ProgramResult {
        try requireShadowFiles(for: tool)
        return try Programs.check(tool, rootArguments + arguments, root: self)
    }

    /// The account files a shadow tool writes by name: each database and its backup (NAME-,
    /// written with O_TRUNC), its new copy (NAME+) and its lock's PID file (NAME.PID, O_TRUNC),
    /// and the lastlog and faillog records useradd resets. A mount namespace does nothing
    /// against a hard link: each must be a regular file with one name (a link planted at any
    /// PID's name is one). A leftover NAME+ or NAME.PID of one name is the root's own, what a
    /// tool that failed part way leaves (a full disk), and is overwritten harmlessly. Under
    /// --root only: the live host's files are the host's own.
    static let shadowDatabases: Set<String> = ["passwd", "group", "shadow", "gshadow", "subuid", "subgid"]

    static func isShadowFile(_ name: String) -> Bool {
        guard let base = shadowDatabases.first(where: { name.hasPrefix($0) }) else { return name == ".pwd.lock" }
        let rest = name.dropFirst(base.count)
        return rest.isEmpty || rest == "-" || rest == ".lock" || isShadowTemporary(name)
    }

    static func isShadowTemporary(_ name: String) -> Bool {
        guard let base = shadowDatabases.first(where: { name.hasPrefix($0) }) else { return false }
        let rest = name.dropFirst(base.count)
        return rest == "+" || (rest.count > 1 && rest.first == "." && rest.dropFirst().allSatisfy(\.isASCII) && rest.dropFirst().allSatisfy(\.isNumber))
    }

    func requireShadowFiles(for tool: String) throws {
        guard root != "/" else { return }
        try requireRealTrees([
            .init("/etc", recursive: false, reads: { Self.isShadowFile($0) }),
            .init("/var/log", recursive: false, reads: { $0 == "lastlog" || $0 == "faillog" }),
        ], for: tool, maximumFileSize: 1 << 30, writes: .linksOnly)
    }

    /// Why a shadow tool cannot be handed this root (its account files), or nil.
    func shadowFilesProblem(for tool: String) -> Message? {
        do { try requireShadowFiles(for: tool) } catch { return .of(error) }
        return nil
    }

    /// Why `tool` cannot run here (not installed, not root), or nil.
    func toolProblem(_ tool: String) -> Message? {
        if Programs.locate(tool) == nil { return .msg("\(tool) is not installed (looked in \(Programs.searchPath.joined(separator: ":")))") }
        if geteuid() != 0 { return .msg("\(tool) needs root (running as uid \(geteuid()))") }
        return nil
    }

    /// Why nothing can be written under `directory` (a read-only file system, an error), or nil.
    func writableProblem(_ directory: String) -> Message? {
        do {
            let (fd, _) = try open(directory, flags: O_RDONLY | O_DIRECTORY)
            defer { try? fd.close() }
            return try fd.isOnReadOnlyFileSystem() ? .msg("\(hostPath(directory)) is on a read-only file system") : nil
        } catch {
            return .of(error)
        }
    }
}
