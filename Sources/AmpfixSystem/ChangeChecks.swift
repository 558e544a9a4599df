import Glibc

/// What the appliers of host changes check before they run a tool or write under a directory.
extension RootedFileSystem {
    /// `--root ROOT` for the shadow tools when the root is not /.
    var rootArguments: [String] { root == "/" ? [] : ["--root", root] }

    /// Runs a shadow tool (useradd, groupadd, usermod, userdel, groupdel) on this root:
    /// `--root ROOT` and confined (`Confinement`) when the root is not /; throws unless it exits 0.
    @discardableResult
    func runShadowTool(_ tool: String, _ arguments: [String]) throws -> ProgramResult {
        try Programs.check(tool, rootArguments + arguments, root: self)
    }

    /// Why `tool` cannot run here (not installed, not root), or nil.
    func toolProblem(_ tool: String) -> String? {
        if Programs.locate(tool) == nil { return "\(tool) is not installed (looked in \(Programs.searchPath.joined(separator: ":")))" }
        if geteuid() != 0 { return "\(tool) needs root (running as uid \(geteuid()))" }
        return nil
    }

    /// Why nothing can be written under `directory` (a read-only file system, an error), or nil.
    func writableProblem(_ directory: String) -> String? {
        do {
            let (fd, _) = try open(directory, flags: O_RDONLY | O_DIRECTORY)
            defer { try? fd.close() }
            return try fd.isOnReadOnlyFileSystem() ? "\(hostPath(directory)) is on a read-only file system" : nil
        } catch {
            return "\(error)"
        }
    }
}
