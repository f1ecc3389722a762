;;; test.el --- Batch Eglot test of editors/emacs/refnotes.el against the real server  -*- lexical-binding: t -*-
;; Run by tests/editors/emacs.sh (env: REFNOTES_BIN, REFNOTES_WS, REFNOTES_REPO). Opens the
;; AWS China example note and checks, on the figure named in tests/editors/target.json:
;; the Flymake diagnostic, the ElDoc hover on the name, M-. to the source line, the quick fix.
;; Not -Q: Debian's site-start puts the elpa-* packages on the load path.

(package-initialize)
(require 'json)
(require 'eglot)
(require 'markdown-mode)
(require 'flymake)
(require 'xref)

(defvar refnotes-test-passed 0)
(defvar refnotes-test-failed 0)

(defun refnotes-test-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun refnotes-test-check (ok what got)
  (if ok
      (progn (setq refnotes-test-passed (1+ refnotes-test-passed))
             (refnotes-test-out "PASS %s" what))
    (setq refnotes-test-failed (1+ refnotes-test-failed))
    (refnotes-test-out "FAIL %s got: %S" what got)))

(defun refnotes-test-any (text needles)
  "The first of NEEDLES (a vector or list of strings) that TEXT contains, if any."
  (and (stringp text)
       (cl-find-if (lambda (needle) (string-match-p (regexp-quote needle) text)) (append needles nil))))

(defun refnotes-test-wait (pred timeout)
  "Pump process output and timers until PRED is non-nil or TIMEOUT seconds pass."
  (let ((end (+ (float-time) timeout)))
    (while (and (not (funcall pred)) (< (float-time) end))
      (accept-process-output nil 0.05))
    (funcall pred)))

(let* ((bin (getenv "REFNOTES_BIN"))
       (ws (file-name-as-directory (getenv "REFNOTES_WS")))
       (repo (file-name-as-directory (getenv "REFNOTES_REPO")))
       (target (let ((json-object-type 'alist) (json-key-type 'symbol))
                 (json-read-file (expand-file-name "tests/editors/target.json" repo))))
       (line-text (alist-get 'line_contains target))
       (figure (alist-get 'figure target))
       (name (alist-get 'name target))
       (code (alist-get 'code target))
       (values (alist-get 'source_values target))
       (fixed-figures (alist-get 'fixed_figures target)))
  (add-to-list 'load-path (expand-file-name "editors/emacs" repo))
  (require 'refnotes)
  (setq refnotes-server-command (list bin "serve"))
  (refnotes-eglot-setup)
  (setq eglot-sync-connect 10 eglot-autoshutdown nil)
  (condition-case err
      (let (server figure-start name-start)
        (find-file (expand-file-name (alist-get 'note target) ws))
        (refnotes-test-check (eq major-mode 'markdown-mode) "note opens in markdown-mode" major-mode)
        (call-interactively #'eglot)
        (setq server (eglot-current-server))
        (refnotes-test-check (and server (jsonrpc-running-p server)) "eglot connected to refnotes" server)
        (refnotes-test-check (equal (file-name-as-directory (expand-file-name (project-root (eglot--project server))))
                                    ws)
                             "project root is the folder with refnotes.toml"
                             (project-root (eglot--project server)))

        (goto-char (point-min))
        (search-forward line-text)
        (beginning-of-line)
        (save-excursion
          (setq figure-start (progn (search-forward figure (line-end-position)) (match-beginning 0))))
        (save-excursion
          (setq name-start (progn (search-forward name (line-end-position)) (match-beginning 0))))

        ;; 1. the diagnostic, through Flymake (started by hand: batch mode shows no window)
        (flymake-start)
        (let ((diagnostic-here
               (lambda ()
                 (cl-find-if (lambda (d)
                               (and (<= (flymake-diagnostic-beg d) figure-start)
                                    (>= (flymake-diagnostic-end d) (+ figure-start (length figure)))
                                    (string-match-p (regexp-quote code)
                                                    (format "%s" (flymake-diagnostic-text d)))))
                             (flymake-diagnostics (line-beginning-position) (line-end-position))))))
          (refnotes-test-wait diagnostic-here 20)
          (refnotes-test-check (funcall diagnostic-here)
                               (format "flymake %s on %S (line %d)" code figure (line-number-at-pos))
                               (mapcar (lambda (d) (list (line-number-at-pos (flymake-diagnostic-beg d))
                                                         (flymake-diagnostic-text d)))
                                       (flymake-diagnostics))))

        ;; 2. hover on the name, through Eglot's ElDoc function (what ElDoc shows)
        (goto-char (1+ name-start))
        (let (hover)
          (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover (or info 'empty))))
          (refnotes-test-wait (lambda () hover) 10)
          (refnotes-test-check (and (refnotes-test-any hover values)
                                    (refnotes-test-any hover (mapcar #'file-name-sans-extension
                                                                     (directory-files (expand-file-name "corpus" ws)
                                                                                      nil "\\`[^.]"))))
                               (format "hover on %S shows the source's value and names the source" name)
                               (if (stringp hover) (truncate-string-to-width (substring-no-properties hover) 400) hover)))

        ;; 3. M-. on the figure: a corpus file, on a line that states the value
        (let ((note-buffer (current-buffer)))
          (goto-char (1+ figure-start))
          (condition-case e (xref-find-definitions (xref-backend-identifier-at-point 'eglot))
            (user-error (refnotes-test-out "M-.: %s" (error-message-string e))))
          (let ((here (buffer-file-name))
                (line (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
            (refnotes-test-check (and here (string-prefix-p (expand-file-name "corpus/" ws) here)
                                      (refnotes-test-any line values))
                                 "M-. jumps to the source line that states the value"
                                 (list here (line-number-at-pos) line)))
          (switch-to-buffer note-buffer))

        ;; 4. the quick fix rewrites the figure
        (let* ((actions (eglot-code-actions figure-start (+ figure-start (length figure)) "quickfix"))
               (fix (cl-find-if (lambda (action)
                                  (refnotes-test-any (format "%S" (plist-get action :edit)) fixed-figures))
                                actions)))
          (refnotes-test-check fix (format "a quick fix offers one of %s" fixed-figures) actions)
          (when fix
            (eglot--apply-workspace-edit (plist-get fix :edit))
            (goto-char (point-min))
            (search-forward line-text)
            (let ((line (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
              (refnotes-test-check (and (refnotes-test-any line fixed-figures)
                                        (not (string-match-p (regexp-quote figure) line)))
                                   (format "applying %S rewrites the figure" (plist-get fix :title))
                                   line))))

        ;; 5. Eglot's shutdown (it sends "params": null) is accepted and the server exits
        (let ((shutdown-error nil))
          (condition-case e (eglot-shutdown server nil 5)
            (jsonrpc-error (setq shutdown-error e)))
          (refnotes-test-check (null shutdown-error) "server accepts eglot's shutdown" shutdown-error)
          (refnotes-test-check (not (jsonrpc-running-p server)) "server process gone after shutdown" server)))
    (error
     (setq refnotes-test-failed (1+ refnotes-test-failed))
     (refnotes-test-out "ERROR %S" err))))

(refnotes-test-out "emacs: %d passed, %d failed" refnotes-test-passed refnotes-test-failed)
(kill-emacs (if (zerop refnotes-test-failed) 0 1))
