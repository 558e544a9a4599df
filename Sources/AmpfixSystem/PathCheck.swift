import Glibc

/// Checks of paths named on the command line, on this machine (not under --root): each returns
/// why the path cannot serve, or nil.
public enum PathCheck {
    /// A directory that can be opened.
    public static func directory(_ path: String) -> String? {
        guard let directory = opendir(path) else { return String(cString: strerror(errno)) }
        closedir(directory)
        return nil
    }

    /// An executable file.
    public static func executable(_ path: String) -> String? {
        if case .success = nothingOrErrno("access", { access(path, X_OK) }) { return nil }
        return "not an executable file"
    }

    /// A file to create: nothing has the name yet (not even a dangling link), and its directory exists.
    public static func newFile(_ path: String) -> String? {
        var status = stat()
        if case .success = nothingOrErrno("lstat", { lstat(path, &status) }) { return "it exists already; name another file" }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let isDirectory = nothingOrErrno("stat") { stat(directory.isEmpty ? "/" : directory, &status) }.map { status.st_mode & S_IFMT == S_IFDIR }
        if (try? isDirectory.get()) != true {
            return "\(directory) is not a directory"
        }
        return nil
    }
}
