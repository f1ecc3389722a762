;;; refnotes.el --- Check research notes against their sources, through Eglot  -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools

;;; Commentary:

;; Runs the refnotes language server (`refnotes serve') for Markdown notes
;; under a folder that has a refnotes.toml, a corpus folder or a sources
;; folder: Flymake diagnostics on figures, quotes and citations, ElDoc hover
;; with what the sources say, M-. to the source passage, and quick fixes
;; (M-x eglot-code-actions).
;;
;;   (add-to-list 'load-path "~/src/refnotes/editors/emacs")
;;   (require 'refnotes)
;;   (refnotes-eglot-setup)
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)

;;; Code:

(require 'eglot)
(require 'project)

(defgroup refnotes nil
  "Check research notes against their sources."
  :group 'tools
  :prefix "refnotes-")

(defcustom refnotes-server-command '("refnotes" "serve")
  "The refnotes server command and its arguments."
  :type '(repeat string))

(defcustom refnotes-settings '(:corpus [] :inlayHints (:enable t))
  "The server's `refnotes' settings section, as a plist in its camelCase shape.
Keys: :corpus (a vector of folders, used when there is no refnotes.toml),
:severity (a plist of code to level, e.g. (:figure-mismatch \"error\")),
:tolerance (a number) and :inlayHints (:enable t or :json-false)."
  :type 'plist)

(defconst refnotes-root-markers '("refnotes.toml" "corpus" "sources")
  "Files or folders that mark the root of a refnotes workspace.")

(defun refnotes-root (dir)
  "The nearest folder at or above DIR with a refnotes.toml, corpus or sources."
  (locate-dominating-file
   dir
   (lambda (folder)
     (or (file-regular-p (expand-file-name "refnotes.toml" folder))
         (file-directory-p (expand-file-name "corpus" folder))
         (file-directory-p (expand-file-name "sources" folder))))))

(defun refnotes-project-find (dir)
  "Make a Markdown note's refnotes root its project, so Eglot sends that folder.
For `project-find-functions'; returns nil outside Markdown buffers."
  (when (derived-mode-p 'markdown-mode)
    (let ((root (refnotes-root dir)))
      (and root (cons 'transient (expand-file-name root))))))

;;;###autoload
(defun refnotes-eglot-setup ()
  "Tell Eglot to run refnotes for Markdown notes, with `refnotes-settings'."
  (add-to-list 'eglot-server-programs
               `(markdown-mode . (,@refnotes-server-command
                                  :initializationOptions ,refnotes-settings)))
  (add-hook 'project-find-functions #'refnotes-project-find)
  (setq-default eglot-workspace-configuration
                (plist-put (copy-sequence (default-value 'eglot-workspace-configuration))
                           :refnotes refnotes-settings)))

(provide 'refnotes)
;;; refnotes.el ends here
