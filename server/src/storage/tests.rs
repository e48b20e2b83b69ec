//! The `file://` backend and the multipart path, on a temporary folder.

use super::transfer::{self, PART_SIZE};
use super::*;

/// Bytes that differ at every position, so a misplaced part shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(31) ^ (i >> 13)) as u8)
        .collect()
}

async fn local_storage() -> (tempfile::TempDir, Storage) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", dir.path().join("blobs").display());
    let storage = Storage::open(dir.path(), Some(&url)).await.expect("opens");
    (dir, storage)
}

fn upload_of(storage: &Storage, bytes: &[u8]) -> TempPath {
    let (file, temp) = storage.incoming_file().expect("incoming file");
    std::fs::write(&temp, bytes).expect("write upload");
    drop(file);
    temp
}

#[tokio::test]
async fn local_storage_keeps_blobs_as_plain_files() {
    let (dir, storage) = local_storage().await;
    let key = Storage::video_key("v1", "Clip.MP4");
    assert_eq!(key, "videos/v1/original.mp4");
    storage
        .store(upload_of(&storage, b"video bytes"), &key)
        .await
        .expect("stored");
    let on_disk = dir.path().join("blobs/videos/v1/original.mp4");
    assert_eq!(std::fs::read(&on_disk).unwrap(), b"video bytes");
    assert_eq!(
        storage.local_copy(&key).await.unwrap().path(),
        on_disk,
        "read in place, no copy"
    );
    assert_eq!(storage.local_path(&key), Some(on_disk.clone()));

    storage
        .put("videos/v1/people/0.jpg", b"jpeg".to_vec())
        .await
        .unwrap();
    assert_eq!(
        storage
            .read("videos/v1/people/0.jpg")
            .await
            .unwrap()
            .as_deref(),
        Some(&b"jpeg"[..])
    );
    assert_eq!(storage.read("videos/v1/people/9.jpg").await.unwrap(), None);
    let ranged = storage
        .get_range(&key, Some(GetRange::Bounded(6..11)))
        .await
        .unwrap();
    assert_eq!(ranged.range, 6..11);
    assert_eq!(&ranged.bytes().await.unwrap()[..], b"bytes");

    storage
        .delete_prefix(&Storage::video_prefix("v1"))
        .await
        .unwrap();
    assert!(!storage.exists(&key).await.unwrap());
    assert!(
        !dir.path().join("blobs/videos/v1").exists(),
        "empty folders removed"
    );
    storage
        .delete("videos/v1/nothing")
        .await
        .expect("deleting a missing blob is fine");
    storage
        .delete_prefix("videos/none")
        .await
        .expect("deleting a missing prefix is fine");
}

#[tokio::test]
async fn multipart_uploads_round_trip_byte_exact() {
    let (dir, storage) = local_storage().await;
    let bytes = pattern(2 * PART_SIZE + 12_345);
    let upload = upload_of(&storage, &bytes);
    let location = ObjectPath::from("videos/big/original.mp4");
    transfer::upload_file(storage.store.as_ref(), &location, &upload)
        .await
        .expect("multipart upload");
    let copy = transfer::download(
        storage.store.as_ref(),
        &location,
        &dir.path().join("incoming"),
    )
    .await
    .unwrap();
    assert!(
        copy.path().to_string_lossy().ends_with(".mp4"),
        "keeps the extension"
    );
    assert!(
        std::fs::read(copy.path()).unwrap() == bytes,
        "downloaded bytes differ"
    );
    let path = copy.path().to_path_buf();
    drop(copy);
    assert!(!path.exists(), "download removed when dropped");
}

#[tokio::test]
async fn default_storage_is_the_files_folder_and_clears_incoming() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("incoming")).unwrap();
    std::fs::write(dir.path().join("incoming/upload-left.part"), b"x").unwrap();
    let storage = Storage::open(dir.path(), None).await.unwrap();
    assert_eq!(
        storage.local_path("a/b"),
        Some(dir.path().join("files/a/b"))
    );
    assert!(!dir.path().join("incoming/upload-left.part").exists());
}

#[test]
fn episode_picture_keys_round_trip_and_nothing_else_is_one() {
    let crop = "videos/v1/people/3.jpg";
    let key = Storage::episode_thumb_key(crop, 12);
    assert_eq!(key, "videos/v1/people/3-e12.jpg");
    assert_eq!(
        Storage::episode_of_thumb_key(&key),
        Some((crop.to_owned(), 12))
    );
    for other in [
        crop,
        "videos/v1/people/3-e.jpg",
        "videos/v1/people/3-e+1.jpg",
        "profiles/p/crop.jpg",
    ] {
        assert_eq!(Storage::episode_of_thumb_key(other), None, "{other}");
    }
}
