/// Where one root's run lock lives: one ampfix at a time per root. Implemented by AmpfixSystem
/// over an flock on `<root>/run/ampfix.lock`.
public protocol RunLockPlace {
    /// Takes the lock, waiting for another ampfix up to a time-out, and holds it for as long as
    /// the returned object lives. With `create` false nothing is created: a missing lock file
    /// means nobody holds it, and nil is returned.
    func acquire(create: Bool) throws -> AnyObject?
    /// Whether the lock's place is on a read-only file system (a mounted image): nothing can
    /// have been journaled there, and no lock can be taken.
    var isReadOnly: Bool { get }
}
