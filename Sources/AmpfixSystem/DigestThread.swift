import AmpfixCore
import Glibc

/// MD5 of a stream on a second thread, so one read of a file feeds both the digest and the
/// inflate (the slower of the two, on the reading thread). The reader fills one of `slots`
/// buffers (`fill`), hands it over and goes on with it while this thread hashes it; a buffer
/// is filled again only after it was hashed. `finish` waits for the digest.
final class DigestThread: @unchecked Sendable {
    // The state below is shared between the two threads and guarded by `mutex`; the buffers'
    // bytes are written by the reader only while the hasher is done with them (`hashed`).
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let storage: UnsafeMutableRawBufferPointer
    private let chunk: Int
    private let slots: Int
    private var lengths: [Int]
    /// Chunks handed over and chunks hashed, counted from the start.
    private var handed = 0
    private var hashed = 0
    private var closed = false
    private var md5 = MD5()
    private var thread: pthread_t?
    /// Bytes in the buffer `fill` returned last (the reader's own).
    private var filled = 0

    init(chunk: Int, slots: Int = 4) {
        self.chunk = chunk
        self.slots = slots
        lengths = Array(repeating: 0, count: slots)
        storage = .allocate(byteCount: chunk * slots, alignment: 64)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        var created = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        if pthread_create(&created, nil, { context in
            Unmanaged<DigestThread>.fromOpaque(context!).takeRetainedValue().hashChunks()
            return nil
        }, context) == 0 {
            thread = created
        } else {
            // No second thread: `hand` hashes on the caller's thread.
            Unmanaged<DigestThread>.fromOpaque(context).release()
        }
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(changed)
        mutex.deallocate()
        changed.deallocate()
        storage.deallocate()
    }

    /// Waits for a free buffer, lets `read` fill it, and returns the bytes read (valid until the
    /// next `fill`). Nothing is handed to the hasher until `hand`.
    func fill(_ read: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> UnsafeRawBufferPointer {
        pthread_mutex_lock(mutex)
        while handed - hashed >= slots { pthread_cond_wait(changed, mutex) }
        let slot = handed % slots
        pthread_mutex_unlock(mutex)
        let buffer = UnsafeMutableRawBufferPointer(rebasing: storage[slot * chunk..<(slot + 1) * chunk])
        let count = try read(buffer)
        filled = count
        return UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    }

    /// Hands the buffer `fill` returned last to the hasher.
    func hand() {
        pthread_mutex_lock(mutex)
        lengths[handed % slots] = filled
        handed += 1
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        if thread == nil { hashOne() }
    }

    /// The digest of every byte handed over; the thread has ended when this returns.
    func finish() -> String {
        stop()
        return md5.finalize()
    }

    /// Ends the thread after the chunks handed over (also when the reader gave up).
    func stop() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    private func hashChunks() {
        while true {
            pthread_mutex_lock(mutex)
            while handed == hashed, !closed { pthread_cond_wait(changed, mutex) }
            let done = handed == hashed
            pthread_mutex_unlock(mutex)
            if done { return }
            hashOne()
        }
    }

    /// Hashes chunk number `hashed` (the reader does not touch its buffer until it is counted).
    private func hashOne() {
        pthread_mutex_lock(mutex)
        let slot = hashed % slots
        let count = lengths[slot]
        pthread_mutex_unlock(mutex)
        let start = storage.baseAddress!.advanced(by: slot * chunk).assumingMemoryBound(to: UInt8.self)
        md5.update(UnsafeBufferPointer(start: start, count: count))
        pthread_mutex_lock(mutex)
        hashed += 1
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }
}
